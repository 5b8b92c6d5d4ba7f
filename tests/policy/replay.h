/* SPDX-License-Identifier: GPL-2.0 */
/* Replay a trace through scxsim_main() and read figures from its JSON. */
#ifndef SCX_TESTS_POLICY_REPLAY_H
#define SCX_TESTS_POLICY_REPLAY_H

#include <stdbool.h>

#include "policy/policy.h"
#include "tests/policy/json.h"

/*
 * scxsim -P POLICIES --json TMP TRACE, in-process, with `extra` policies
 * available. scxsim's table is discarded unless verbose. The parsed JSON,
 * or NULL after a one-line message on stderr.
 */
struct json *replay(const char *trace, const char *policies,
		    const struct policy_ops *const *extra, bool verbose);
/* The results[] entry of `policy` ("recorded" or a policy name), or NULL. */
const struct json *replay_result(const struct json *doc, const char *policy);
/*
 * The figure of comm ("*": the total over every task) under policy. false,
 * with *why saying what is missing, if there is no such value.
 */
bool replay_figure(const struct json *doc, const char *policy,
		   const char *comm, const char *figure, double *out,
		   const char **why);

#endif
