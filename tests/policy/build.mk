# SPDX-License-Identifier: GPL-2.0
#
# tests/policy/: the policy regression budgets. check_budgets replays every
# shipped trace through scxsim_main() (libsim + libpolicy, plus the broken
# `inverted` policy that only this test knows) and checks
# tests/policy/<trace>.budget against the result.

BUDGET_SRCS	:= $(wildcard tests/policy/*.c)
BUDGET_OBJS	:= $(BUDGET_SRCS:%.c=$(B)/%.o)
BUDGET_FILES	:= $(wildcard tests/policy/*.budget)
# Malformed budgets the reader must refuse (a test of the checker itself).
BUDGET_BAD	:= $(wildcard tests/policy/bad/*.budget)

$(B)/tests/check_budgets: $(BUDGET_OBJS) $(B)/libsim.a $(B)/libpolicy.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(SIM_LIBS)

# TAP for tests/summary; exits non-zero when a budget fails (`make test`
# carries on to the next stage regardless).
test-policy: $(B)/tests/check_budgets
	$(Q)mkdir -p $(B)/results
	$(Q)$(B)/tests/check_budgets --traces traces \
		--tap $(B)/results/policy.tap \
		$(foreach f,$(BUDGET_BAD),--invalid $(f)) $(BUDGET_FILES)
