# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz/: libFuzzer targets, one per trace format (dat, perf, text,
# perfetto, gzip) plus the command line (cli) and the budget reader (budget). Every
# trace target drives the whole of scxsim: reader, recorded report, model,
# a replay under each policy, metrics and every report.
#
# The project's sources are built once more with clang-19 and the fuzzer's
# coverage plus ASan and UBSan into $(B)/fuzz/libfuzz.a; each target links
# it. `make fuzz` runs each target for FUZZ_SECS from a corpus seeded with
# the fixtures and every input in tests/fixtures/bad/ (inputs that once
# crashed or hung stay there, so each run replays them first). `make
# test-fuzz` (part of `make test`) runs each for FUZZ_TEST_RUNS inputs from seed 1
# (at most FUZZ_TEST_SECS) and writes
# TAP: a crash, a leak, a timeout or an out-of-memory fails it.

FUZZ_CC		?= clang-19
FUZZ_SECS	?= 120
FUZZ_TEST_SECS	?= 90
FUZZ_SAN	:= address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS	:= -g -O1 -fsanitize=fuzzer-no-link,$(FUZZ_SAN)
FUZZ_LDFLAGS	:= -fsanitize=fuzzer,$(FUZZ_SAN)
FUZZ_LIB_SRCS	:= $(filter-out sim/main.c,$(wildcard sim/*.c sim/*/*.c)) \
		   $(wildcard policy/*.c) tests/policy/budget.c
FUZZ_LIB_OBJS	:= $(FUZZ_LIB_SRCS:%.c=$(B)/fuzz/obj/%.o)
FUZZ_NAMES	:= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS	:= $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)

$(B)/fuzz/obj/%.o: %.c
	$(call msg,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(call pc,--cflags,$(SIM_PKGS)) \
		-MMD -MP -c -o $@ $<
$(B)/fuzz/libfuzz.a: $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(B)/fuzz/libfuzz.a
	$(call msg,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(FUZZ_LDFLAGS) \
		$(call pc,--cflags,$(SIM_PKGS)) -o $@ $< $(B)/fuzz/libfuzz.a \
		$(SIM_LIBS)

fuzz-build: $(FUZZ_BINS)

# FUZZ_SECS each, crashes kept in $(B)/fuzz/crash-NAME/.
fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run $(B) $(FUZZ_SECS) $(FUZZ_NAMES)

# The bounded run inside `make test`: TAP in $(B)/results/fuzz.tap.
test-fuzz: $(FUZZ_BINS)
	$(Q)mkdir -p $(B)/results
	$(Q)tests/fuzz/run --tap $(B)/results/fuzz.tap $(B) $(FUZZ_TEST_SECS) \
		$(FUZZ_NAMES)

.PHONY: fuzz-build test-fuzz
