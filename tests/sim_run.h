/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scxsim run in-process by the suites that test its command line: one way
 * to capture what it printed and how it ended, so each test says only what
 * it asserts about them.
 */
#ifndef SCX_TESTS_SIM_RUN_H
#define SCX_TESTS_SIM_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "policy/policy.h"

struct sim_run {
	int rc;			/* scxsim_main's exit status */
	char *out, *err;	/* all it wrote to stdout and stderr */
	int err_lines;
};

/* scxsim ARGS... (NULL-ended; extras as scxsim_main takes them, or NULL). */
struct sim_run sim_run(const char *const *args,
		       const struct policy_ops *const *extras);
void sim_run_free(struct sim_run *r);
/* All of f from its start, NUL-ended (*len: its bytes); f is closed. */
char *read_stream(FILE *f, size_t *len);
/* Newlines in s: how many lines a message took. */
int text_lines(const char *s);

#endif
