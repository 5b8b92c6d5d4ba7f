# SPDX-License-Identifier: GPL-2.0
#
# sim/ extras: the ingestion benchmark (the reading half of `make bench`).

# Ingestion speed alone (`make bench` runs it too, with the replay bench).
$(B)/bench/ingest_run: $(B)/tests/bench/ingest_run.o $(B)/libsim.a
	$(call msg,LINK,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SIM_LIBS)
$(B)/tests/bench/%.o: CFLAGS += $(call pc,--cflags,$(SIM_PKGS))
all: $(B)/bench/ingest_run
bench-ingest: $(B)/scxsim $(B)/bench/ingest_run
	$(Q)tests/bench/ingest $(B)

.PHONY: bench-ingest

# The scxlive host's shipped costs (sim/model/live-cost.txt, re-measured by
# `make live-costs`) compiled into scxsim as one C string.
$(B)/sim/model/live_cost_dfl.h: sim/model/live-cost.txt
	@mkdir -p $(@D)
	$(Q)sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $< > $@
$(B)/sim/model/live_cost.o: $(B)/sim/model/live_cost_dfl.h
