# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz/: libFuzzer targets for the trace readers. `make fuzz` builds
# every tests/fuzz/fuzz_*.c with clang-19
# (-fsanitize=fuzzer,address,undefined) and runs each for FUZZ_SECS
# seconds from a corpus seeded with the fixtures; crashes land in
# $(B)/fuzz/ (keep them in tests/fixtures/bad/ once fixed).

FUZZ_CC		?= clang-19
FUZZ_SECS	?= 120
FUZZ_FLAGS	:= -g -O1 -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined
# The readers and the recorded report they feed: everything a byte of input
# reaches before the model.
FUZZ_LIB_SRCS	:= $(wildcard sim/trace/*.c) sim/report/recorded.c sim/report/metrics.c \
		   sim/model/pidmap.c
FUZZ_NAMES	:= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS	:= $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB_SRCS) \
		  $(wildcard sim/*/*.h)
	$(call msg,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_FLAGS) $(call pc,--cflags,$(SIM_PKGS)) \
		-o $@ $< $(FUZZ_LIB_SRCS) $(SIM_LIBS)

# Seeds per target: the fixtures its reader is meant for.
fuzz_seeds_perf	= tests/fixtures/perf-sched-record.data
fuzz_seeds_dat	= $(wildcard tests/fixtures/dat/*.dat)
fuzz_seeds_text	= $(wildcard tests/fixtures/dat/*.report*) \
		  tests/fixtures/perf-sched-record.script.gz
fuzz_seeds_gzip	= $(fuzz_seeds_perf) $(fuzz_seeds_dat)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(Q)set -e; for t in $(FUZZ_NAMES); do \
		c=$(B)/fuzz/corpus-$$t; mkdir -p $$c; \
		case $$t in \
		perf) s="$(fuzz_seeds_perf)";; dat) s="$(fuzz_seeds_dat)";; \
		text) s="$(fuzz_seeds_text)";; *) s="$(fuzz_seeds_gzip)";; \
		esac; \
		for f in $$s; do \
			case $$f in *.gz) gzip -dc $$f | head -c 1048576 > $$c/seed-$$(basename $$f .gz);; \
			*) head -c 1048576 $$f > $$c/seed-$$(basename $$f);; esac; \
		done; \
		echo "  FUZZ     $$t for $(FUZZ_SECS)s"; \
		(cd $(B)/fuzz && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp \
			./fuzz_$$t -max_total_time=$(FUZZ_SECS) \
			-max_len=1048576 -timeout=10 -rss_limit_mb=2048 \
			-print_final_stats=1 corpus-$$t) \
			> $(B)/fuzz/fuzz_$$t.log 2>&1 || \
			{ echo "fuzz_$$t found a crash: see $(B)/fuzz/fuzz_$$t.log"; exit 1; }; \
		grep -E '^stat::number_of_executed_units' $(B)/fuzz/fuzz_$$t.log; \
	done


.PHONY: fuzz-build
