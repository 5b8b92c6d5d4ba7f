// SPDX-License-Identifier: GPL-2.0
/*
 * scxsim_main() with stdout and stderr sent to temporary files for the
 * call, then read back: the suites check exit status, output and the
 * one-line error rule on what a user would have seen.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim/cli.h"
#include "tests/sim_run.h"

char *read_stream(FILE *f, size_t *len)
{
	long n;
	char *buf;

	fflush(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

int text_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

struct sim_run sim_run(const char *const *args,
		       const struct policy_ops *const *extras)
{
	char *argv[32] = { "scxsim" };
	FILE *fo = tmpfile(), *fe = tmpfile();
	int argc = 1, so, se;
	struct sim_run r;

	ck_assert(fo && fe);
	while (args[argc - 1] && argc < 31) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	so = dup(1), se = dup(2);
	dup2(fileno(fo), 1), dup2(fileno(fe), 2);
	r.rc = scxsim_main(argc, argv, extras);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1), dup2(se, 2);
	close(so), close(se);
	r.out = read_stream(fo, NULL);
	r.err = read_stream(fe, NULL);
	r.err_lines = text_lines(r.err);
	return r;
}

void sim_run_free(struct sim_run *r)
{
	free(r->out);
	free(r->err);
}
