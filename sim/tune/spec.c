// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a sweep spec and numbering its jobs (spec.h). Values are checked
 * here by the registry's own parser, so a bad value fails the whole sweep
 * before any shard has spent a replay on it.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/tune/paramfile.h"
#include "sim/tune/spec.h"

static int bad(char *err, size_t len, uint32_t line, const char *fmt,
	       const char *what)
{
	char msg[200];

	snprintf(msg, sizeof(msg), fmt, what);
	snprintf(err, len, "line %u: %s", line, msg);
	return -1;
}

static int find_pol(const struct spec *s, const struct policy_ops *ops)
{
	for (uint32_t i = 0; i < s->npol; i++)
		if (s->pol[i].ops == ops)
			return (int)i;
	return -1;
}

/* "lowlat.slice_max=1ms,2ms": one axis of policy lowlat. */
static int parse_param(struct spec *s, char *arg, uint32_t line,
		       const struct policy_ops *(*find)(const char *, void *),
		       void *fa, char *err, size_t len)
{
	char *dot = strchr(arg, '.'), *eq = strchr(arg, '='), *save = NULL;
	const struct policy_ops *ops;
	struct spec_axis *ax;
	int p;

	if (!dot || !eq || dot > eq)
		return bad(err, len, line, "'%s' is not POLICY.KEY=V1,V2,...",
			   arg);
	*dot = 0;
	ops = find(arg, fa);
	p = ops ? find_pol(s, ops) : -1;
	if (p < 0)
		return bad(err, len, line, "policy '%s' has no policy line "
			   "before it", arg);
	if (s->naxis == SPEC_MAX_AXES)
		return bad(err, len, line, "more than %s param lines", "32");
	ax = &s->axis[s->naxis];
	ax->policy = (uint32_t)p;
	*eq = 0;
	for (char *v = strtok_r(eq + 1, ",", &save); v;
	     v = strtok_r(NULL, ",", &save)) {
		struct policy_conf c;
		char kv[128];
		int e;

		if (ax->nvalues == SPEC_MAX_VALUES)
			return bad(err, len, line, "more than %s values", "64");
		snprintf(kv, sizeof(kv), "%s=%s", dot + 1, v);
		policy_conf_defaults(&c, ops, 1, 1);
		e = policy_conf_set(&c, ops, kv, NULL);
		if (e)
			return bad(err, len, line, "%s", policy_strerror(e));
		for (ax->param = 0; strcmp(ops->params[ax->param].name,
					   dot + 1); ax->param++)
			;
		ax->values[ax->nvalues++] = c.param[ax->param];
	}
	if (!ax->nvalues)
		return bad(err, len, line, "'%s' has no values", dot + 1);
	s->naxis++;
	return 0;
}

static int parse_line(struct spec *s, char *l, uint32_t line,
		      const struct policy_ops *(*find)(const char *, void *),
		      void *fa, char *err, size_t len)
{
	char *arg = l;
	const struct policy_ops *ops;

	while (*arg && !isspace((unsigned char)*arg))
		arg++;
	if (*arg)
		*arg++ = 0;
	while (isspace((unsigned char)*arg))
		arg++;
	if (!*arg)
		return bad(err, len, line, "'%s' needs an argument", l);
	if (!strcmp(l, "trace")) {
		if (s->ntrace == SPEC_MAX_TRACES)
			return bad(err, len, line, "more than %s traces", "256");
		s->trace[s->ntrace++] = arg;
		return 0;
	}
	if (!strcmp(l, "param"))
		return parse_param(s, arg, line, find, fa, err, len);
	if (strcmp(l, "policy"))
		return bad(err, len, line, "'%s': expected trace, policy or "
			   "param", l);
	ops = find(arg, fa);
	if (!ops)
		return bad(err, len, line, "no policy named '%s'", arg);
	if (find_pol(s, ops) >= 0)
		return bad(err, len, line, "policy '%s' listed twice", arg);
	if (s->npol == SPEC_MAX_POLICIES)
		return bad(err, len, line, "more than %s policies", "16");
	s->pol[s->npol++].ops = ops;
	return 0;
}

int spec_load(struct spec *s, const char *path,
	      const struct policy_ops *(*find)(const char *name, void *arg),
	      void *arg, char *err, size_t errlen)
{
	uint32_t line = 0;
	size_t len;

	memset(s, 0, sizeof(*s));
	s->text = paramfile_slurp(path, &len, err, errlen);
	if (!s->text)
		return -1;
	for (char *l = s->text, *nl; l; l = nl) {
		char *e;

		nl = strchr(l, '\n');
		if (nl)
			*nl++ = 0;
		line++;
		while (isspace((unsigned char)*l))
			l++;
		for (e = l + strlen(l); e > l && isspace((unsigned char)e[-1]);)
			*--e = 0;
		if (*l && *l != '#' && parse_line(s, l, line, find, arg, err,
						  errlen))
			return -1;
	}
	if (!s->ntrace || !s->npol)
		return snprintf(err, errlen, "needs at least one trace and one "
				"policy line"), -1;
	for (uint32_t p = 0; p < s->npol; p++) {
		s->pol[p].points = 1;
		for (uint32_t a = 0; a < s->naxis; a++)
			if (s->axis[a].policy == p &&
			    (s->pol[p].points *= s->axis[a].nvalues) > SPEC_MAX_JOBS)
				break;
		s->per_trace += s->pol[p].points;
		if (s->per_trace * s->ntrace > SPEC_MAX_JOBS)
			return snprintf(err, errlen, "more than %llu jobs",
					(unsigned long long)SPEC_MAX_JOBS), -1;
	}
	return 0;
}

void spec_free(struct spec *s)
{
	free(s->text);
	s->text = NULL;
}

bool spec_sets(const struct spec *s, uint32_t p, const char *key)
{
	for (uint32_t a = 0; a < s->naxis; a++)
		if (s->axis[a].policy == p &&
		    !strcmp(s->pol[p].ops->params[s->axis[a].param].name, key))
			return true;
	return false;
}

uint64_t spec_jobs(const struct spec *s)
{
	return s->per_trace * s->ntrace;
}

void spec_job(const struct spec *s, uint64_t j, uint32_t *trace,
	      uint32_t *policy, struct policy_conf *conf)
{
	uint64_t k = j % s->per_trace;
	uint32_t p = 0;

	*trace = (uint32_t)(j / s->per_trace);
	while (k >= s->pol[p].points)
		k -= s->pol[p++].points;
	*policy = p;
	policy_conf_defaults(conf, s->pol[p].ops, 1, 1);
	for (uint32_t a = s->naxis; a-- > 0;) {	/* last axis fastest */
		const struct spec_axis *ax = &s->axis[a];

		if (ax->policy != p)
			continue;
		conf->param[ax->param] = ax->values[k % ax->nvalues];
		k /= ax->nvalues;
	}
}
