// SPDX-License-Identifier: GPL-2.0
/*
 * Replaying a trace for the budget checker: run scxsim in-process through
 * scxsim_main() (the very code path of the scxsim command, with the extra
 * policies only tests may name), read its --json result back, and find a
 * figure of one comm under one policy in it.
 *
 * Going through the CLI and its JSON rather than the engine's structs keeps
 * the budgets honest about what a user of scxsim would see, and keeps this
 * test independent of the simulator's internal API.
 *
 * Budgets guard a policy's decisions, so they replay on the kernel host
 * (--host kernel: decisions take no time). What scxlive's daemon adds on
 * top is the host's, and vmtest holds that against live runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli.h"
#include "tests/policy/replay.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET) && (buf = malloc((size_t)len + 1))) {
		if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else {
			buf[len] = '\0';
		}
	}
	fclose(f);
	return buf;
}

/*
 * Run scxsim in-process: --host kernel -P policies --json tmp trace. Its
 * table goes to /dev/null (people read our lines); its errors still reach stderr.
 */
struct json *replay(const char *trace, const char *policies,
		    const struct policy_ops *const *extra, bool verbose)
{
	char tmpl[] = "/tmp/check_budgets.XXXXXX", err[200];
	char *argv[] = { "scxsim", "--host", "kernel", "-P", (char *)policies,
			 "--json", tmpl, (char *)trace, NULL };
	int fd = mkstemp(tmpl), saved, rc;
	struct json *j = NULL;
	char *text;

	if (fd < 0) {
		fprintf(stderr, "check_budgets: mkstemp: %s\n", strerror(errno));
		return NULL;
	}
	close(fd);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open("/dev/null", O_WRONLY);
	if (fd >= 0 && !verbose)
		dup2(fd, STDOUT_FILENO);
	optind = 0;	/* scxsim_main parses with getopt: start afresh */
	rc = scxsim_main(8, argv, extra);
	fflush(stdout);
	if (saved >= 0) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	if (fd >= 0)
		close(fd);
	if (rc != 0) {
		fprintf(stderr, "check_budgets: %s: scxsim failed (status %d)\n",
			trace, rc);
	} else if (!(text = slurp(tmpl))) {
		fprintf(stderr, "check_budgets: %s: no JSON from scxsim\n", tmpl);
	} else {
		j = json_parse(text, err, sizeof(err));
		if (!j)
			fprintf(stderr, "check_budgets: %s: scxsim's JSON: %s\n",
				trace, err);
		free(text);
	}
	unlink(tmpl);
	return j;
}

const struct json *replay_result(const struct json *doc, const char *policy)
{
	const struct json *res = json_get(doc, "results");

	for (const struct json *r = res ? res->child : NULL; r; r = r->next) {
		const struct json *p = json_get(r, "policy");

		if (p && p->type == JSON_STR && !strcmp(p->str, policy))
			return r;
	}
	return NULL;
}

/* The figure of comm (or "*": the total) under policy; false if absent. */
bool replay_figure(const struct json *doc, const char *policy,
		   const char *comm, const char *figure, double *out,
		   const char **why)
{
	const struct json *r = replay_result(doc, policy), *row = NULL, *v;

	if (!r) {
		*why = "policy not in the replay";
		return false;
	}
	if (!strcmp(comm, "*")) {
		row = json_get(r, "total");
	} else {
		const struct json *comms = json_get(r, "comms");

		for (const struct json *c = comms ? comms->child : NULL; c; c = c->next) {
			const struct json *n = json_get(c, "comm");

			if (n && n->type == JSON_STR && !strcmp(n->str, comm)) {
				row = c;
				break;
			}
		}
	}
	if (!row) {
		*why = "no such comm in the replay";
		return false;
	}
	v = json_get(row, figure);
	if (!v || v->type != JSON_NUM) {
		*why = "figure missing from scxsim's JSON";
		return false;
	}
	*out = v->num;
	return true;
}
