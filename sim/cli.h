/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scxsim command line, as a library call so tests run it in-process.
 * sim/main.c is only main() calling this; a test binary may pass extra
 * policies (looked up before the registry), e.g. a deliberately broken one.
 */
#ifndef SCX_SIM_CLI_H
#define SCX_SIM_CLI_H

#include "policy/policy.h"

/* Exit status: 0 done, 2 bad input or option, 1 anything else. */
int scxsim_main(int argc, char **argv,
		const struct policy_ops *const *extra_policies);

#endif /* SCX_SIM_CLI_H */
