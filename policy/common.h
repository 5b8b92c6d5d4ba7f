/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers every policy needs: CPU-mask tests against the host's idle
 * bitmap and the task's affinity, weight scaling, and carving one state
 * block into aligned arrays. Kept inline and header-only so each policy's
 * file still reads top to bottom as the whole of its behaviour.
 */
#ifndef SCX_POLICY_COMMON_H
#define SCX_POLICY_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

/* ceil(a / b) for a starvation bound; b of 0 counts as 1. */
static inline uint64_t pol_ceil_div(uint64_t a, uint64_t b)
{
	return b ? (a + b - 1) / b : a;
}

/* How much longer the lightest waits than a nice-0 task: ceil(max/w), >= 1. */
static inline uint64_t pol_weight_stretch(const struct policy_bound_in *in)
{
	uint64_t w = in->weight ? in->weight : 1;
	uint64_t m = in->max_weight > w ? in->max_weight : w;

	return pol_ceil_div(m, w);
}

/* A configuration every policy can lay out its state for. */
static inline bool pol_conf_ok(const struct policy_conf *conf)
{
	return conf->nr_cpus >= 1 && conf->nr_cpus <= POLICY_MAX_CPUS &&
	       conf->max_tasks >= 1 && conf->max_tasks < (1u << 24);
}

/* Round a state-block offset up to 8 bytes. */
static inline size_t pol_align(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Can t run on cpu? */
static inline bool pol_allowed(const struct policy_task *t, int32_t cpu)
{
	return policy_cpu_test(t->cpus_allowed, cpu);
}

/* May t run on every CPU of the machine (so a shared queue can hold it)? */
static inline bool pol_roams(const struct policy_task *t, uint32_t nr_cpus)
{
	if (t->flags & POLICY_ENQ_PERCPU)
		return false;
	for (uint32_t w = 0; w * 64 < nr_cpus; w++) {
		uint32_t bits = nr_cpus - w * 64;
		uint64_t need = bits >= 64 ? ~0ull : (1ull << bits) - 1;

		if ((t->cpus_allowed[w] & need) != need)
			return false;
	}
	return true;
}

static inline bool pol_idle(const struct policy_env *env, int32_t cpu)
{
	return env->idle && cpu >= 0 && (uint32_t)cpu < env->nr_cpus &&
	       policy_cpu_test(env->idle, cpu);
}

/* First idle CPU t may use, scanning from `from` round the ring; or -1. */
static inline int32_t pol_idle_allowed(const struct policy_env *env,
				       const struct policy_task *t,
				       int32_t from)
{
	uint32_t n = env->nr_cpus, words = (n + 63) / 64;

	if (!env->idle || n == 0)
		return -1;
	if (from < 0 || (uint32_t)from >= n)
		from = 0;
	/* Word at a time: idle & allowed, from `from` up, then wrap. */
	for (uint32_t i = 0; i <= words; i++) {
		uint32_t w = ((uint32_t)from / 64 + i) % words;
		uint64_t m = env->idle[w] & t->cpus_allowed[w];

		if (i == 0)
			m &= ~0ull << ((uint32_t)from % 64);
		else if (i == words)
			m &= ((uint32_t)from % 64) ?
			     ~(~0ull << ((uint32_t)from % 64)) : 0;
		if (w == words - 1 && n % 64)
			m &= (1ull << (n % 64)) - 1;
		if (m)
			return (int32_t)(w * 64 + (uint32_t)__builtin_ctzll(m));
	}
	return -1;
}

/* First CPU t may use, or -1 if its mask misses every CPU we have. */
static inline int32_t pol_first_allowed(const struct policy_task *t,
					uint32_t nr_cpus)
{
	for (uint32_t c = 0; c < nr_cpus; c++)
		if (pol_allowed(t, (int32_t)c))
			return (int32_t)c;
	return -1;
}

/*
 * The CPU a waking task should use: prev if idle, else any idle CPU it may
 * use, else prev if allowed, else its first allowed CPU (select_idle_sibling
 * in spirit, with the whole machine as one LLC).
 */
static inline int32_t pol_pick_cpu(const struct policy_env *env,
				   const struct policy_task *t, int32_t prev)
{
	int32_t c;

	if (pol_idle(env, prev) && pol_allowed(t, prev))
		return prev;
	c = pol_idle_allowed(env, t, prev);
	if (c >= 0)
		return c;
	if (prev >= 0 && (uint32_t)prev < env->nr_cpus && pol_allowed(t, prev))
		return prev;
	c = pol_first_allowed(t, env->nr_cpus);
	return c >= 0 ? c : POLICY_CPU_ANY;
}

/*
 * Which queue a task enqueued on shared-order queues belongs to: -1 (the
 * global queue) when it may run anywhere, else the CPU chosen at wakeup if
 * allowed, else an idle allowed CPU, else prev, else its first allowed CPU.
 */
static inline int32_t pol_queue_cpu(const struct policy_env *env,
				    const struct policy_task *t,
				    int32_t wake_cpu)
{
	int32_t c;

	if (pol_roams(t, env->nr_cpus))
		return -1;
	if (wake_cpu >= 0 && (uint32_t)wake_cpu < env->nr_cpus &&
	    pol_allowed(t, wake_cpu))
		return wake_cpu;
	c = pol_idle_allowed(env, t, t->prev_cpu);
	if (c >= 0)
		return c;
	if (t->prev_cpu >= 0 && (uint32_t)t->prev_cpu < env->nr_cpus &&
	    pol_allowed(t, t->prev_cpu))
		return t->prev_cpu;
	c = pol_first_allowed(t, env->nr_cpus);
	return c >= 0 ? c : 0;
}

/*
 * After queueing on queue `qcpu` (-1 = global), the idle CPU to kick so the
 * task starts at once: qcpu itself if idle, or for the global queue the
 * wakeup's chosen CPU if idle, else any idle CPU. POLICY_NO_KICK if none.
 */
static inline int32_t pol_kick_idle(const struct policy_env *env,
				    const struct policy_task *t,
				    int32_t qcpu, int32_t wake_cpu)
{
	int32_t c;

	if (qcpu >= 0)
		return pol_idle(env, qcpu) ? qcpu : POLICY_NO_KICK;
	if (pol_idle(env, wake_cpu))
		return wake_cpu;
	c = pol_idle_allowed(env, t, t->prev_cpu);
	return c >= 0 ? c : POLICY_NO_KICK;
}

/* delta * NICE_0 / weight: virtual time of `delta` ns of CPU. */
static inline uint64_t pol_scale(uint64_t delta, uint32_t weight)
{
	if (weight == 0)
		weight = POLICY_NICE_0_WEIGHT;
	return delta * POLICY_NICE_0_WEIGHT / weight;
}

static inline uint64_t pol_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t pol_max(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

#endif /* SCX_POLICY_COMMON_H */
