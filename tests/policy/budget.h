/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policy regression budgets: one small declarative file per shipped trace,
 * tests/policy/<trace>.budget, one limit a line:
 *
 *     # policy  comm        figure         op  limit
 *     lowlat    frameloop   p99_ns         <=  4ms
 *     lowlat    frameloop   p99_ns         <=  0.5 x recorded
 *     lowlat    cc1         completion_ns  <=  1.1 x eevdf
 *     must-fail inverted as lowlat
 *
 * comm is a comm row of the replay (perf sched latency's grouping) or `*`
 * for the total over every task. figure is a field of scxsim --json's rows:
 * count, avg_ns, p50_ns, p90_ns, p99_ns, max_ns, runtime_ns, completion_ns
 * ("completion" is accepted for completion_ns). op is <=, <, >= or >. The
 * limit is an absolute value (ns, us, ms, s suffixes for time, none for a
 * count) or FACTOR x POLICY: that multiple of the same figure of the same
 * comm under another policy, `recorded` being what the kernel did.
 *
 * `must-fail VARIANT as POLICY` names a deliberately broken policy that must
 * fail at least one of POLICY's budgets when it stands in for POLICY.
 */
#ifndef SCX_TESTS_POLICY_BUDGET_H
#define SCX_TESTS_POLICY_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

#define BUDGET_NAME_LEN 32

enum budget_op { BUDGET_LE, BUDGET_LT, BUDGET_GE, BUDGET_GT };

struct budget_line {
	int lineno;
	char policy[BUDGET_NAME_LEN];
	char comm[BUDGET_NAME_LEN];	/* "*" = every task */
	char figure[BUDGET_NAME_LEN];	/* a JSON field name */
	enum budget_op op;
	double limit;			/* absolute, or the factor */
	char ref[BUDGET_NAME_LEN];	/* "" = absolute limit */
	bool is_time;			/* figure is in ns (print as time) */
};

struct budget_variant {
	char name[BUDGET_NAME_LEN];	/* the broken policy */
	char as[BUDGET_NAME_LEN];	/* whose budgets it must fail */
};

struct budget_file {
	char path[256];
	char trace[BUDGET_NAME_LEN];	/* file name without .budget */
	struct budget_line *lines;
	size_t nlines;
	struct budget_variant *variants;
	size_t nvariants;
};

/*
 * Read PATH. 0, or -1 with "PATH:LINE: problem" in err (the file is
 * rejected whole: a budget that does not parse must not silently vanish).
 */
int budget_read(const char *path, struct budget_file *bf, char *err,
		size_t errlen);
void budget_free(struct budget_file *bf);

/* true when `value op limit` holds. */
bool budget_holds(enum budget_op op, double value, double limit);
const char *budget_op_str(enum budget_op op);
/* A figure for people: "1.23ms" for times, "1234" for counts. */
void budget_fmt(char *buf, size_t len, double v, bool is_time);

#endif
