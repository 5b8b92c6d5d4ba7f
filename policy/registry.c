// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: every policy by name, its default configuration, and the
 * one parser of "KEY=VALUE" tunables both hosts share, so scxsim -p and
 * scxlive -p accept exactly the same spellings and reject the same errors.
 *
 * Values are integers; a parameter whose unit is "ns" also takes a unit
 * suffix (ns, us, ms, s) so "slice_max=5ms" reads as it would on a command
 * line; policy_parse_duration() is the hosts' duration parser too. Parsing
 * and the --list-policies lines are by hand because policy/ links no libc
 * beyond string.h.
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

int policy_check(const struct policy_ops *ops)
{
	if (!ops)
		return POLICY_E_UNKNOWN;
	if (!ops->name || !ops->state_size || !ops->init || !ops->enqueue ||
	    !ops->dispatch)
		return POLICY_E_OPS;
	return POLICY_OK;
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
static uint64_t unit_scale(const char *s)
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

/* Leading decimal digits of *p into *mag (advancing *p); E_RANGE past max. */
static int parse_digits(const char **p, uint64_t max, uint64_t *mag)
{
	if (**p < '0' || **p > '9')
		return POLICY_E_VALUE;
	for (*mag = 0; **p >= '0' && **p <= '9'; (*p)++) {
		uint64_t d = (uint64_t)(**p - '0');

		if (*mag > (max - d) / 10)
			return POLICY_E_RANGE;
		*mag = *mag * 10 + d;
	}
	return POLICY_OK;
}

int policy_parse_duration(const char *s, uint64_t unit_ns, uint64_t *ns)
{
	uint64_t whole, frac = 0, den = 1, scale = unit_ns;
	const char *p = s;
	int err = parse_digits(&p, UINT64_MAX, &whole);

	if (err)
		return err;
	if (*p == '.') {
		/* Digits past the nanosecond cannot change the result. */
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (den < 1000000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				den *= 10;
			}
		if (p[-1] == '.')
			return POLICY_E_VALUE;
	}
	if (*p) {
		scale = unit_scale(p);
		if (!scale)
			return POLICY_E_VALUE;
	}
	if (whole > UINT64_MAX / scale)
		return POLICY_E_RANGE;
	/* frac < den <= 1e9 and scale <= 1e9: the product fits. */
	frac = frac * scale / den;
	if (whole * scale > UINT64_MAX - frac)
		return POLICY_E_RANGE;
	*ns = whole * scale + frac;
	return POLICY_OK;
}

/*
 * An optionally signed decimal integer, or (when is_ns) a duration in
 * ns. POLICY_OK, POLICY_E_VALUE for text that is not such a number, or
 * POLICY_E_RANGE when it overflows int64.
 */
static int parse_value(const char *s, bool is_ns, int64_t *out)
{
	bool neg = false;
	uint64_t mag, limit;
	const char *p = s;
	int err;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (is_ns) {
		err = policy_parse_duration(p, 1, &mag);
	} else {
		err = parse_digits(&p, limit, &mag);
		if (!err && *p)
			err = POLICY_E_VALUE;
	}
	if (err)
		return err;
	if (mag > limit)
		return POLICY_E_RANGE;
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
		return "value is not an integer (or a duration: 5ms, 1.5us)";
	case POLICY_E_RANGE:
		return "value out of range";
	case POLICY_E_SYNTAX:
		return "expected KEY=VALUE";
	case POLICY_E_CONF:
		return "unusable CPU count or task count";
	case POLICY_E_OPS:
		return "a mandatory hook is missing";
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

/* Append s to buf[*n..len), padded with blanks to width; keeps buf ended. */
static void put_str(char *buf, size_t len, size_t *n, const char *s,
		    size_t width)
{
	size_t k = 0;

	for (; s && s[k]; k++, (*n)++)
		if (*n + 1 < len)
			buf[*n] = s[k];
	for (; k < width; k++, (*n)++)
		if (*n + 1 < len)
			buf[*n] = ' ';
	if (len)
		buf[*n < len ? *n : len - 1] = '\0';
}

static void put_int(char *buf, size_t len, size_t *n, int64_t v)
{
	char d[24];
	size_t i = sizeof(d) - 1;
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

	d[i] = '\0';
	do {
		d[--i] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	if (v < 0)
		d[--i] = '-';
	put_str(buf, len, n, d + i, 0);
}

size_t policy_list_line(const struct policy_ops *ops, uint32_t line,
			const char *qualify, char *buf, size_t len)
{
	const struct policy_param *p;
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	if (!line) {
		put_str(buf, len, &n, ops->name, 10);
		put_str(buf, len, &n, " ", 0);
		put_str(buf, len, &n, ops->desc, 0);
		return n;
	}
	p = &ops->params[line - 1];
	put_str(buf, len, &n, "    ", 0);
	if (qualify) {
		put_str(buf, len, &n, ops->name, 0);
		put_str(buf, len, &n, qualify, 0);
	}
	put_str(buf, len, &n, p->name, 0);
	put_str(buf, len, &n, "=", 0);
	put_int(buf, len, &n, p->def);
	put_str(buf, len, &n, "  (", 0);
	put_int(buf, len, &n, p->min);
	put_str(buf, len, &n, "..", 0);
	put_int(buf, len, &n, p->max);
	if (p->unit && *p->unit) {
		put_str(buf, len, &n, " ", 0);
		put_str(buf, len, &n, p->unit, 0);
	}
	put_str(buf, len, &n, ")  ", 0);
	put_str(buf, len, &n, p->desc, 0);
	return n;
}
