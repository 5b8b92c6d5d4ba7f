# SPDX-License-Identifier: GPL-2.0
#
# traces/: the workloads recorded into the shipped traces (static, so they
# run inside the bare busybox guest) and the policy regression budgets.

WORKLOADS	:= frameloop msgstorm server desktop forker hog
WL_BINS		:= $(WORKLOADS:%=$(B)/workloads/%)
WL_COMMON	:= traces/workloads/wl.c

$(B)/workloads/%: traces/workloads/%.c $(WL_COMMON) traces/workloads/wl.h
	$(call msg,LINK,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $< $(WL_COMMON) -lpthread -lm

workloads: $(WL_BINS)
all: workloads
.PHONY: workloads

# Re-record every shipped trace and the reader fixtures in the qemu guest
# (minutes: the guest's CPUs are emulated). See traces/README.md.
RECIPES		:= $(filter-out common,$(patsubst traces/recipes/%.sh,%,$(wildcard traces/recipes/*.sh)))
record-traces: workloads
	traces/record-in-guest $(RECIPES)
.PHONY: record-traces
