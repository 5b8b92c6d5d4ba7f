# SPDX-License-Identifier: GPL-2.0
#
# scxlive: live/main.c (the loader, which includes the BPF skeleton) linked
# with liblive.a (the dispatch loop, testable without a kernel) and the
# policies. scxlive-static is the same, linked statically for the VM's bare
# busybox initramfs. Both need clang-19 and bpftool (HAVE_BPF_TOOLS from
# bpf/build.mk); without them `make` builds everything else and says so.

LIVE_LDLIBS	:= -lbpf -lelf -lz -lzstd
# live/loader_elfshim.c stands in for libeu.a in the static link only.
LIVE_ELFSHIM	:= $(B)/live/loader_elfshim.o
LIVE_MAIN_OBJS	:= $(filter-out $(LIVE_ELFSHIM),$(LIVE_LOADER:%.c=$(B)/%.o))

$(LIVE_MAIN_OBJS): $(B)/bpf/scxlive.skel.h

$(B)/scxlive: $(LIVE_MAIN_OBJS) $(B)/liblive.a $(B)/libpolicy.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIVE_LDLIBS)

$(B)/scxlive-static: $(LIVE_MAIN_OBJS) $(B)/liblive.a $(B)/libpolicy.a $(LIVE_ELFSHIM)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -static -o $@ $(filter-out $(LIVE_ELFSHIM),$^) \
		$(LIVE_LDLIBS) $(LIVE_ELFSHIM)

ifeq ($(HAVE_BPF_TOOLS),y)
all: $(B)/scxlive $(B)/scxlive-static
else
all: scxlive-note
.PHONY: scxlive-note
scxlive-note:
	@echo "note: scxlive not built: needs $(CLANG_BPF) and bpftool (make deps)"
endif
