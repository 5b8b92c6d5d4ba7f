# SPDX-License-Identifier: GPL-2.0
#
# One Makefile for the whole project; every output goes under $(B).
# `make` builds what this machine can build (the BPF side needs clang-19 and
# bpftool from `make deps`), `make test` runs every test, V=1 shows commands.
#
# The folders are the architecture: policy/ becomes libpolicy.a (built a
# second time freestanding, to prove it is pure), sim/ and live/ link it
# unchanged into scxsim and scxlive. Each folder may add rules in its own
# build.mk; the wildcard rules below cover the ordinary C files.

B		?= build
PREFIX		?= /usr/local
DESTDIR		?=
CC		?= cc
CLANG_BPF	?= clang-19
LLVM_STRIP	?= llvm-strip-19
BPFTOOL		?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
VERSION		:= 0.1.0

V ?= 0
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2)
endif

.DELETE_ON_ERROR:
.SUFFIXES:
.PHONY: all deps test test-unit test-asan test-policy vmtest bench bench-live accuracy \
	fuzz install clean

# CFLAGS from the environment or the command line replaces only the
# optimisation (OPT); the warnings that keep the tree clean are always added.
# Unless either is given, the replay's own code (sim/ and policy/) builds
# at -O3 (HOT_OPT): 5.8% fewer instructions than -O2 for a 2-policy replay
# of the bench's perf.data (callgrind), output byte-identical.
#
# sim/ is also compiled for link-time optimisation (LTO), and scxsim links
# with it, so that the many small calls between the reader, the model, the
# engine and the report are inlined across files: 4.4% fewer instructions
# again, output byte-identical. The objects are fat (ordinary code beside
# the LTO bytecode), so every other link of libsim.a (the tests, the
# benchmarks) stays an ordinary one. policy/ is left out: it stays the
# same machine code in scxsim as in scxlive.
ifeq ($(origin OPT)$(origin CFLAGS),undefinedundefined)
HOT_OPT		?= -O3
LTO		?= -flto=auto
endif
HOT_LTO		:= $(if $(LTO),$(LTO) -ffat-lto-objects)
OPT		?= -O2 -g
WARN		:= -std=c11 -Wall -Wextra -Werror
CPPFLAGS	+= -D_GNU_SOURCE -DSCX_VERSION='"$(VERSION)"' -I. -I$(B)
CFLAGS		?= $(OPT)
override CFLAGS	+= $(WARN) $(EXTRA_CFLAGS)
LDFLAGS		+= $(EXTRA_LDFLAGS)

pc = $(shell pkg-config $(1) $(2) 2>/dev/null)
SIM_PKGS	:= libtracecmd libtraceevent zlib libzstd nlopt
LIVE_PKGS	:= libbpf libelf zlib libzstd
CHECK_PKGS	:= check

all:

# ---------------------------------------------------------------- policy/
POLICY_SRCS	:= $(wildcard policy/*.c)
POLICY_OBJS	:= $(POLICY_SRCS:%.c=$(B)/%.o)
# Pure C: no libc beyond what -ffreestanding allows.
$(B)/policy/%.o: CFLAGS += -ffreestanding $(HOT_OPT)
$(B)/libpolicy.a: $(POLICY_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---------------------------------------------------------------- sim/
# Every C file of sim/ and its subfolders except main() goes into libsim.a.
SIM_MAINS	:= sim/main.c
SIM_SRCS	:= $(filter-out $(SIM_MAINS),$(wildcard sim/*.c sim/*/*.c))
SIM_OBJS	:= $(SIM_SRCS:%.c=$(B)/%.o)
$(B)/sim/%.o: CFLAGS += $(call pc,--cflags,$(SIM_PKGS)) $(HOT_OPT) $(HOT_LTO)
SIM_LIBS	= $(call pc,--libs,$(SIM_PKGS)) -lm -pthread
$(B)/libsim.a: $(SIM_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(B)/scxsim: $(B)/sim/main.o $(B)/libsim.a $(B)/libpolicy.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(HOT_OPT) $(LTO) $(LDFLAGS) -o $@ $^ $(SIM_LIBS)
all: $(B)/scxsim

# ---------------------------------------------------------------- live/
# Files that include the BPF skeleton are the loader; the rest (the dispatch
# loop and the policy adapter) build and test without clang or a kernel.
LIVE_LOADER	:= live/main.c $(wildcard live/loader*.c)
LIVE_SRCS	:= $(filter-out $(LIVE_LOADER),$(wildcard live/*.c))
LIVE_OBJS	:= $(LIVE_SRCS:%.c=$(B)/%.o)
$(B)/live/%.o: CFLAGS += $(call pc,--cflags,$(LIVE_PKGS))
$(B)/liblive.a: $(LIVE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---------------------------------------------------------------- tests/
TEST_SRCS	:= $(wildcard tests/*.c)
TEST_OBJS	:= $(TEST_SRCS:%.c=$(B)/%.o)
$(B)/tests/%.o: CFLAGS += $(call pc,--cflags,$(CHECK_PKGS) $(SIM_PKGS))
$(B)/tests/check_all: $(TEST_OBJS) $(B)/libsim.a $(B)/liblive.a $(B)/libpolicy.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(call pc,--libs,$(CHECK_PKGS)) \
		$(SIM_LIBS) $(call pc,--libs,$(LIVE_PKGS))

# ---------------------------------------------------------------- C rule
$(B)/%.o: %.c
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(wildcard policy/build.mk sim/build.mk bpf/build.mk live/build.mk \
		    tests/build.mk tests/vm/build.mk traces/build.mk \
		    tests/policy/build.mk tests/fuzz/build.mk)
-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- top-level
# Debian packages; libbpf, bpftool and qemu must come from bookworm-backports
# (qemu 10 for multi-threaded TCG; bookworm's 7.2 runs both vCPUs on one thread).
DEB_PKGS	:= build-essential pkg-config clang-19 llvm-19 lld-19 \
		   libclang-rt-19-dev libelf-dev zlib1g-dev libzstd-dev \
		   libtraceevent-dev libtracecmd-dev libtracefs-dev check trace-cmd linux-perf \
		   busybox-static zstd cpio gzip jq bc stress-ng \
		   libnlopt-dev parallel protobuf-compiler
DEB_BPO_PKGS	:= libbpf-dev libbpf1 bpftool qemu-system-x86
deps:
	tests/install-deps $(DEB_BPO_PKGS) -- $(DEB_PKGS)

# Unit tests, policy budgets, replay accuracy over the corpus, a bounded
# fuzzing of every input scxsim takes, then the real kernel in qemu;
# tests/summary prints the closing "N passed, N failed" over all of them.
test:
	$(Q)rm -rf $(B)/results && mkdir -p $(B)/results
	-$(Q)$(MAKE) --no-print-directory test-unit
	-$(Q)$(MAKE) --no-print-directory test-asan
	-$(Q)$(MAKE) --no-print-directory test-policy
	-$(Q)$(MAKE) --no-print-directory accuracy
	-$(Q)$(MAKE) --no-print-directory test-fuzz
	-$(Q)$(MAKE) --no-print-directory vmtest
	$(Q)tests/summary $(B)/results

test-unit: $(B)/tests/check_all $(B)/scxsim
	$(Q)mkdir -p $(B)/results
	$(Q)CK_DEFAULT_TIMEOUT=30 CK_TAP_LOG_FILE_NAME=$(B)/results/unit.tap SCX_BUILD=$(B) \
		$(B)/tests/check_all

# Replaying each trace under eevdf against what it recorded: the table, the
# shares within target / 20% / 2x, and a gate on floors (tests/accuracy).
accuracy: $(B)/scxsim
	$(Q)mkdir -p $(B)/results
	$(Q)tests/accuracy --tap $(B)/results/accuracy.tap $(B)/scxsim

# Speed as ratios against a peer in one run: reading, then replaying;
# then --tune's configurations/s with 1 and 2 workers.
bench: $(B)/scxsim bench-data
	-$(Q)if [ -x tests/bench/ingest ]; then tests/bench/ingest $(B); fi
	$(Q)tests/bench/replay $(B)
	$(Q)tests/bench/tune $(B)

# The benchmark's perf.data, recorded once on this machine (minutes; big,
# so under $(B)/, never in git): traces/recipes/host/game_build.sh with
# perf record -e 'sched:*', BENCH_BUILDS builds in a row, and one build
# for the memory study.
BENCH_BUILDS	?= 4
BENCH_DATA	:= $(B)/bench/game_build.data $(B)/bench/game_build_1.data
bench-data: $(BENCH_DATA)
$(B)/bench/game_build.data $(B)/bench/game_build_1.data: | workloads
	$(call msg,RECORD,$@)
	@mkdir -p $(@D)
	$(Q)GAME_BUILDS=$(if $(findstring _1.data,$@),1,$(BENCH_BUILDS)) \
		GAME_RECORD='perf record -q -a -e sched:* -o' \
		sh traces/recipes/host/game_build.sh $@ > $@.log 2>&1 || \
		{ tail -n3 $@.log; rm -f $@; exit 1; }
.PHONY: bench-data

# The unit suites again, built with AddressSanitizer and UBSan: bad input
# must fail cleanly, never by luck of the memory layout.
SAN_FLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		   -fno-omit-frame-pointer
test-asan:
	$(Q)mkdir -p $(B)/results
	$(Q)$(MAKE) --no-print-directory B=$(B)/asan OPT='-O1 -g' \
		EXTRA_CFLAGS='$(SAN_FLAGS)' EXTRA_LDFLAGS='$(SAN_FLAGS)' \
		$(B)/asan/tests/check_all $(B)/asan/scxsim
	$(Q)SCX_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp \
		UBSAN_OPTIONS=print_stacktrace=1 \
		CK_DEFAULT_TIMEOUT=30 CK_TAP_LOG_FILE_NAME=$(B)/results/asan.tap SCX_BUILD=$(B)/asan \
		$(B)/asan/tests/check_all

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(B)/scxsim $(DESTDIR)$(PREFIX)/bin/scxsim
	if [ -f $(B)/scxlive ]; then \
		install -m 755 $(B)/scxlive $(DESTDIR)$(PREFIX)/bin/scxlive; fi

clean:
	rm -rf $(B)
