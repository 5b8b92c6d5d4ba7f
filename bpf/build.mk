# SPDX-License-Identifier: GPL-2.0
#
# The sched_ext side: bpf/scxlive.bpf.c -> $(B)/bpf/scxlive.bpf.o -> the
# skeleton $(B)/bpf/scxlive.skel.h that live/main.c includes.
#
# bpftool 7.5 writes `map->link = ...` for struct_ops maps, a field of
# libbpf >= 1.5's bpf_map_skeleton; with bookworm's libbpf 1.4 the line does
# not compile, so it is dropped and live/ attaches the struct_ops map itself
# with bpf_map__attach_struct_ops().
#
# bpf/vmlinux.h is committed (so a checkout builds without the kernel cache);
# `make vmlinux-h` regenerates it from the kernel tests/vm/fetch-kernel keeps.

BPF_CFLAGS	:= -target bpf -mcpu=v3 -O2 -g -fms-extensions \
		   -Wno-microsoft-anon-tag -Wall -Werror -D__TARGET_ARCH_x86 -I.
BPF_HDRS	:= $(wildcard bpf/*.h)
HAVE_BPF_TOOLS	:= $(shell command -v $(CLANG_BPF) >/dev/null 2>&1 && \
			   test -x "$(BPFTOOL)" && echo y)

$(B)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS)
	$(call msg,CLANG-BPF,$@)
	@mkdir -p $(@D)
	$(Q)$(CLANG_BPF) $(BPF_CFLAGS) -c -o $@.tmp $<
	$(Q)$(LLVM_STRIP) -g $@.tmp -o $@ && rm -f $@.tmp

# Keep the object: the build test and the VM harness may use it.
.SECONDARY: $(B)/bpf/scxlive.bpf.o
$(B)/bpf/%.skel.h: $(B)/bpf/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* | sed '/map->link = /d' > $@

.PHONY: vmlinux-h
vmlinux-h:
	$(call msg,GEN,bpf/vmlinux.h)
	$(Q)kdir=$$(tests/vm/fetch-kernel) && \
		$(BPFTOOL) btf dump file $$kdir/vmlinux format c > bpf/vmlinux.h.tmp && \
		mv bpf/vmlinux.h.tmp bpf/vmlinux.h
