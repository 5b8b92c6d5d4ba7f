// SPDX-License-Identifier: GPL-2.0
/*
 * The budget file reader (format in budget.h). Strict on purpose: an
 * unknown figure, a limit without a unit on a time figure, or a stray word
 * is an error naming the file and line, because a budget that is misread
 * is a regression test that silently tests nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "tests/policy/budget.h"

static const struct {
	const char *name;
	bool is_time;
} figures[] = {
	{ "count", false }, { "avg_ns", true }, { "p50_ns", true },
	{ "p90_ns", true }, { "p99_ns", true }, { "max_ns", true },
	{ "runtime_ns", true }, { "completion_ns", true },
};

static const char *const ops[] = {
	[BUDGET_LE] = "<=", [BUDGET_LT] = "<", [BUDGET_GE] = ">=", [BUDGET_GT] = ">",
};

const char *budget_op_str(enum budget_op op)
{
	return ops[op];
}

bool budget_holds(enum budget_op op, double value, double limit)
{
	switch (op) {
	case BUDGET_LE: return value <= limit;
	case BUDGET_LT: return value < limit;
	case BUDGET_GE: return value >= limit;
	case BUDGET_GT: return value > limit;
	}
	return false;
}

void budget_fmt(char *buf, size_t len, double v, bool is_time)
{
	if (!is_time)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 1e9)
		snprintf(buf, len, "%.3fs", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.3fms", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.1fus", v / 1e3);
	else
		snprintf(buf, len, "%.0fns", v);
}

/*
 * A count, or a time in the duration syntax of -p (a unit is required,
 * except for 0); -1 on error.
 */
static int parse_amount(const char *s, bool is_time, double *out)
{
	size_t n = strlen(s);
	uint64_t ns;
	char *end;
	double v;

	if (is_time) {
		if (!strcmp(s, "0")) {
			*out = 0;
			return 0;
		}
		if (!n || s[n - 1] < 'a' || s[n - 1] > 'z' ||
		    policy_parse_duration(s, 1, &ns))
			return -1;
		*out = (double)ns;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int copy_word(char *dst, const char *src)
{
	if (strlen(src) >= BUDGET_NAME_LEN)
		return -1;
	strcpy(dst, src);
	return 0;
}

#define MAX_WORDS 8

/* "must-fail VARIANT as POLICY": 0, or -1 with a message in err. */
static int parse_variant(struct budget_file *bf, char **w, size_t n,
			 char *err, size_t errlen)
{
	struct budget_variant v;
	void *grown;

	if (n != 4 || strcmp(w[2], "as") || copy_word(v.name, w[1]) ||
	    copy_word(v.as, w[3])) {
		snprintf(err, errlen, "expected 'must-fail VARIANT as POLICY'");
		return -1;
	}
	grown = realloc(bf->variants, (bf->nvariants + 1) * sizeof(v));
	if (!grown) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	bf->variants = grown;
	bf->variants[bf->nvariants++] = v;
	return 0;
}

/* One line: 0 ok (or nothing on it), -1 with a message in err. */
static int parse_line(struct budget_file *bf, char *text, int lineno,
		      char *err, size_t errlen)
{
	char *w[MAX_WORDS + 1], *save = NULL, *hash = strchr(text, '#');
	struct budget_line bl = { .lineno = lineno };
	bool op_found = false;
	size_t n = 0;
	void *grown;

	if (hash)
		*hash = '\0';
	for (char *t = strtok_r(text, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_WORDS) {
			snprintf(err, errlen, "too many words");
			return -1;
		}
		w[n++] = t;
	}
	if (n == 0)
		return 0;

	if (!strcmp(w[0], "must-fail"))
		return parse_variant(bf, w, n, err, errlen);

	if (n != 5 && !(n == 7 && !strcmp(w[5], "x"))) {
		snprintf(err, errlen, "expected 'POLICY COMM FIGURE OP LIMIT' or "
			 "'... OP FACTOR x POLICY', got %zu words", n);
		return -1;
	}
	if (copy_word(bl.policy, w[0]) || copy_word(bl.comm, w[1])) {
		snprintf(err, errlen, "name too long");
		return -1;
	}
	if (!strcmp(w[2], "completion"))
		w[2] = "completion_ns";
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (!strcmp(w[2], figures[i].name)) {
			strcpy(bl.figure, figures[i].name);
			bl.is_time = figures[i].is_time;
		}
	if (!bl.figure[0]) {
		snprintf(err, errlen, "unknown figure '%s' (count, avg_ns, p50_ns, "
			 "p90_ns, p99_ns, max_ns, runtime_ns, completion_ns)", w[2]);
		return -1;
	}
	for (size_t i = 0; i <= BUDGET_GT; i++) {
		if (!strcmp(w[3], ops[i])) {
			bl.op = (enum budget_op)i;
			op_found = true;
		}
	}
	if (!op_found) {
		snprintf(err, errlen, "unknown operator '%s' (<=, <, >=, >)", w[3]);
		return -1;
	}
	if (n == 7) {
		char *end;

		errno = 0;
		bl.limit = strtod(w[4], &end);
		if (end == w[4] || *end || errno || bl.limit <= 0) {
			snprintf(err, errlen, "'%s' is not a positive factor", w[4]);
			return -1;
		}
		if (copy_word(bl.ref, w[6])) {
			snprintf(err, errlen, "name too long");
			return -1;
		}
	} else if (parse_amount(w[4], bl.is_time, &bl.limit)) {
		snprintf(err, errlen, bl.is_time ?
			 "'%s' is not a time (give a unit: ns, us, ms, s)" :
			 "'%s' is not a count", w[4]);
		return -1;
	}
	grown = realloc(bf->lines, (bf->nlines + 1) * sizeof(bl));
	if (!grown) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	bf->lines = grown;
	bf->lines[bf->nlines++] = bl;
	return 0;
}

int budget_read(const char *path, struct budget_file *bf, char *err,
		size_t errlen)
{
	const char *base = strrchr(path, '/');
	char line[1024], msg[200];
	size_t blen;
	int lineno = 0;
	FILE *f;

	memset(bf, 0, sizeof(*bf));
	snprintf(bf->path, sizeof(bf->path), "%s", path);
	base = base ? base + 1 : path;
	blen = strlen(base);
	if (blen <= 7 || strcmp(base + blen - 7, ".budget") ||
	    blen - 7 >= BUDGET_NAME_LEN) {
		snprintf(err, errlen, "%s: a budget file is named TRACE.budget", path);
		return -1;
	}
	memcpy(bf->trace, base, blen - 7);
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			goto bad;
		}
		if (parse_line(bf, line, lineno, msg, sizeof(msg))) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			goto bad;
		}
	}
	fclose(f);
	if (!bf->nlines) {
		snprintf(err, errlen, "%s: no budgets in the file", path);
		budget_free(bf);
		return -1;
	}
	return 0;
bad:
	fclose(f);
	budget_free(bf);
	return -1;
}

void budget_free(struct budget_file *bf)
{
	free(bf->lines);
	free(bf->variants);
	bf->lines = NULL;
	bf->variants = NULL;
	bf->nlines = bf->nvariants = 0;
}
