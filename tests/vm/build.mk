# SPDX-License-Identifier: GPL-2.0
#
# The real-kernel tests: `make vmtest` (part of `make test`, TAP in
# $(B)/results/vm.tap) and `make bench-live` (a report, not a test). Both
# boot tests/vm/fetch-kernel's sched_ext kernel under qemu via
# tests/vm/run-guest. The guest gets static binaries only from us: the
# workloads are linked -static here (their own rules, so this file does not
# depend on how traces/ builds them for the host), scxlive comes as
# $(B)/scxlive-static from the live engineer's rules when they exist.

VM_WL_NAMES	:= frameloop msgstorm forker hog server desktop
VM_WL		:= $(VM_WL_NAMES:%=$(B)/tests/vm/wl/%)

$(B)/tests/vm/wl/%: traces/workloads/%.c traces/workloads/wl.c traces/workloads/wl.h
	$(call msg,LINK,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $< traces/workloads/wl.c -lpthread -lm

# The stress and stats scenarios' own tools (tests/vm/*.c), static too.
VM_TOOL_NAMES	:= forkstorm stats-client
VM_TOOLS	:= $(VM_TOOL_NAMES:%=$(B)/tests/vm/wl/%)
$(B)/tests/vm/wl/%: tests/vm/%.c
	$(call msg,LINK,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $<

# scxlive-static may not have a rule yet: try it, and let the scripts report
# what is missing as failures rather than stop here. -s drops "is up to
# date" chatter unless V=1.
VM_SILENT	:= $(if $(filter 1,$(V)),,-s)
vm-prereqs: $(VM_WL) $(VM_TOOLS)
	-$(Q)$(MAKE) --no-print-directory $(VM_SILENT) $(B)/scxlive-static
	-$(Q)$(MAKE) --no-print-directory $(VM_SILENT) $(B)/scxsim

vmtest: vm-prereqs
	$(Q)mkdir -p $(B)/results
	$(Q)tests/vm/vmtest $(B)

# Re-measure the scxlive host's costs in the guest (tests/vm/live-costs).
live-costs: vm-prereqs
	$(Q)tests/vm/live-costs $(B)

bench-live: vm-prereqs
	$(Q)tests/vm/bench-live $(B)

# A tuned lowlat against its defaults, live, next to scxsim's prediction.
tune-live: vm-prereqs
	$(Q)tests/vm/tune-live $(B)

.PHONY: vm-prereqs live-costs tune-live
