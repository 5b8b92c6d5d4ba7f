// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: every policy by name, its default configuration, and the
 * one parser of "KEY=VALUE" tunables both hosts share, so scxsim -p and
 * scxlive -p accept exactly the same spellings and reject the same errors.
 *
 * Values are integers; a parameter whose unit is "ns" also takes a unit
 * suffix (ns, us, ms, s) so "slice_max=5ms" reads as it would on a command
 * line. Parsing is by hand because policy/ links no libc beyond string.h.
 */
#include <string.h>

#include "policy/policy.h"

extern const struct policy_ops policy_fifo_ops;
extern const struct policy_ops policy_vruntime_ops;
extern const struct policy_ops policy_eevdf_ops;
extern const struct policy_ops policy_lowlat_ops;

const struct policy_ops *const policy_registry[] = {
	&policy_fifo_ops,
	&policy_vruntime_ops,
	&policy_eevdf_ops,
	&policy_lowlat_ops,
	NULL,
};

/* The kernel's sched_prio_to_weight[] (kernel/sched/core.c). */
static const uint32_t prio_to_weight[40] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */ 9548, 7620, 6100, 4904, 3906,
	/*  -5 */ 3121, 2501, 1991, 1586, 1277,
	/*   0 */ 1024, 820, 655, 526, 423,
	/*   5 */ 335, 272, 215, 172, 137,
	/*  10 */ 110, 87, 70, 56, 45,
	/*  15 */ 36, 29, 23, 18, 15,
};

uint32_t policy_nice_to_weight(int nice)
{
	if (nice < -20)
		nice = -20;
	if (nice > 19)
		nice = 19;
	return prio_to_weight[nice + 20];
}

const struct policy_ops *policy_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; policy_registry[i]; i++)
		if (!strcmp(policy_registry[i]->name, name))
			return policy_registry[i];
	return NULL;
}

void policy_conf_defaults(struct policy_conf *conf, const struct policy_ops *ops,
			  uint32_t nr_cpus, uint32_t max_tasks)
{
	memset(conf, 0, sizeof(*conf));
	conf->nr_cpus = nr_cpus;
	conf->max_tasks = max_tasks;
	for (uint32_t i = 0; ops && i < ops->nr_params && i < POLICY_MAX_PARAMS; i++)
		conf->param[i] = ops->params[i].def;
}

/* ns per unit suffix, or 0 for an unknown suffix. */
static int64_t unit_scale(const char *s)
{
	if (!strcmp(s, "ns"))
		return 1;
	if (!strcmp(s, "us"))
		return 1000;
	if (!strcmp(s, "ms"))
		return 1000000;
	if (!strcmp(s, "s"))
		return 1000000000;
	return 0;
}

/*
 * Parse an optionally signed decimal integer with an optional unit suffix
 * (only when allow_unit). Returns POLICY_OK, POLICY_E_VALUE for text that is
 * not such a number, or POLICY_E_RANGE when it overflows int64.
 */
static int parse_value(const char *s, bool allow_unit, int64_t *out)
{
	bool neg = false;
	uint64_t mag = 0, limit;
	int64_t scale = 1;
	const char *p = s;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		return POLICY_E_VALUE;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (mag > (limit - d) / 10)
			return POLICY_E_RANGE;
		mag = mag * 10 + d;
	}
	if (*p) {
		if (!allow_unit)
			return POLICY_E_VALUE;
		scale = unit_scale(p);
		if (!scale)
			return POLICY_E_VALUE;
	}
	if (mag > limit / (uint64_t)scale)
		return POLICY_E_RANGE;
	mag *= (uint64_t)scale;
	if (neg)
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		*out = (int64_t)mag;
	return POLICY_OK;
}

int policy_conf_set(struct policy_conf *conf, const struct policy_ops *ops,
		    const char *kv, const struct policy_param **bad)
{
	const struct policy_param *prm = NULL;
	const char *eq;
	size_t klen;
	int64_t v;
	uint32_t i;
	int err;

	if (bad)
		*bad = NULL;
	if (!ops)
		return POLICY_E_UNKNOWN;
	if (!kv)
		return POLICY_E_SYNTAX;
	for (eq = kv; *eq && *eq != '='; eq++)
		;
	if (!*eq || eq == kv)
		return POLICY_E_SYNTAX;
	klen = (size_t)(eq - kv);
	for (i = 0; i < ops->nr_params && i < POLICY_MAX_PARAMS; i++) {
		if (strlen(ops->params[i].name) == klen &&
		    !strncmp(ops->params[i].name, kv, klen)) {
			prm = &ops->params[i];
			break;
		}
	}
	if (!prm)
		return POLICY_E_KEY;
	if (bad)
		*bad = prm;
	err = parse_value(eq + 1, prm->unit && !strcmp(prm->unit, "ns"), &v);
	if (err)
		return err;
	if (v < prm->min || v > prm->max)
		return POLICY_E_RANGE;
	conf->param[i] = v;
	return POLICY_OK;
}

const char *policy_strerror(int err)
{
	switch (err) {
	case POLICY_OK:
		return "success";
	case POLICY_E_UNKNOWN:
		return "no such policy";
	case POLICY_E_KEY:
		return "no such parameter";
	case POLICY_E_VALUE:
		return "value is not an integer (with optional ns/us/ms/s)";
	case POLICY_E_RANGE:
		return "value out of range";
	case POLICY_E_SYNTAX:
		return "expected KEY=VALUE";
	case POLICY_E_CONF:
		return "unusable CPU count or task count";
	default:
		return "unknown error";
	}
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

size_t policy_param_next(const char *text, size_t len, size_t *pos,
			 unsigned int *line, const char **item)
{
	while (*pos < len) {
		size_t start = *pos, end, stop;

		while (*pos < len && text[*pos] != '\n')
			(*pos)++;
		end = *pos;
		if (*pos < len)
			(*pos)++;	/* past the newline */
		(*line)++;
		stop = end;
		while (start < stop && is_blank(text[start]))
			start++;
		while (stop > start && is_blank(text[stop - 1]))
			stop--;
		if (stop > start && text[start] != '#') {
			*item = text + start;
			return stop - start;
		}
	}
	return 0;
}
