// SPDX-License-Identifier: GPL-2.0
/*
 * The unit cube <-> policy configuration mapping (see space.h for why a
 * duration's axis is logarithmic and where 0 lives on it).
 */
#include <math.h>
#include <string.h>

#include "sim/tune/space.h"

#define LOG_FLOOR_NS	10000.0	/* below 10 us no slice or lag matters */
#define ZERO_SLIVER	0.02	/* u below this is 0 when 0 is allowed */

static bool log_axis(const struct policy_param *p)
{
	return p->unit && !strcmp(p->unit, "ns") &&
	       (double)p->max > 10.0 * LOG_FLOOR_NS &&
	       (double)p->max > 100.0 * (double)(p->min > 0 ? p->min : 1);
}

static double log_lo(const struct policy_param *p)
{
	return p->min > LOG_FLOOR_NS ? (double)p->min : LOG_FLOOR_NS;
}

static int64_t clamp(const struct policy_param *p, double v)
{
	if (!(v >= (double)p->min))	/* also NaN */
		return p->min;
	if (v >= (double)p->max)
		return p->max;
	return (int64_t)llround(v);
}

/*
 * 1542529 -> 1540000: a duration to three significant digits, finer than
 * any policy can tell apart and short enough to read (1.54ms).
 */
static double three_digits(double v)
{
	double scale;

	if (v < 1000)
		return v;
	scale = pow(10, floor(log10(v)) - 2);
	return floor(v / scale + 0.5) * scale;
}

static int64_t to_value(const struct policy_param *p, double u)
{
	double lo, z;

	u = u < 0 ? 0 : u > 1 ? 1 : u;
	if (!log_axis(p))
		return clamp(p, (double)p->min +
				u * ((double)p->max - (double)p->min));
	z = p->min <= 0 ? ZERO_SLIVER : 0;
	if (u < z)
		return clamp(p, 0);
	lo = log_lo(p);
	return clamp(p, three_digits(lo * pow((double)p->max / lo,
					      (u - z) / (1 - z))));
}

static double to_unit(const struct policy_param *p, int64_t v)
{
	double lo, z, u;

	if (p->max <= p->min)
		return 0;
	if (!log_axis(p))
		return ((double)v - (double)p->min) /
		       ((double)p->max - (double)p->min);
	z = p->min <= 0 ? ZERO_SLIVER : 0;
	lo = log_lo(p);
	if (v <= 0)
		return 0;
	if ((double)v <= lo)
		return z;
	u = z + (1 - z) * log((double)v / lo) / log((double)p->max / lo);
	return u > 1 ? 1 : u;
}

void space_init(struct tune_space *s, const struct policy_ops *ops,
		const struct policy_conf *base, const bool *fixed)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->base = *base;
	for (uint32_t i = 0; i < ops->nr_params && i < POLICY_MAX_PARAMS; i++)
		if (!fixed[i] && ops->params[i].max > ops->params[i].min)
			s->idx[s->dim++] = i;
}

void space_conf(const struct tune_space *s, const double *u,
		struct policy_conf *out)
{
	*out = s->base;
	for (uint32_t k = 0; k < s->dim; k++)
		out->param[s->idx[k]] = to_value(&s->ops->params[s->idx[k]],
						 u[k]);
}

void space_point(const struct tune_space *s, const struct policy_conf *conf,
		 double *u)
{
	for (uint32_t k = 0; k < s->dim; k++)
		u[k] = to_unit(&s->ops->params[s->idx[k]],
			       conf->param[s->idx[k]]);
}
