/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A toy host for policy tests: N CPUs, tasks with a fixed burst and sleep,
 * and a loop that calls select_cpu / enqueue / dispatch / running /
 * stopping exactly as scxsim's engine and scxlive's dispatch loop do. It
 * measures what the policy tests pin (CPU share, the longest wait, who ran
 * where) and logs every decision so two runs can be compared byte for
 * byte. It also counts host-contract violations (a dispatch of a task that
 * was not queued or may not run on that CPU), which every test expects 0.
 */
#ifndef SCX_TESTS_POLICY_HOST_H
#define SCX_TESTS_POLICY_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"

#define TOY_MAX_TASKS	64
#define TOY_MAX_CPUS	8
#define TOY_LOG		200000

enum toy_state { TOY_UNBORN, TOY_SLEEP, TOY_QUEUED, TOY_RUN, TOY_DEAD };

struct toy_task {
	struct policy_task pt;
	uint64_t burst;		/* CPU per wakeup; 0 = a hog that never sleeps */
	uint64_t sleep;		/* sleep between bursts */
	uint64_t start;		/* first enqueue (as a new task) */
	uint64_t exit_at;	/* exit_task then (0 = never) */
	/* state and measurements */
	int state;
	int cpu;
	uint64_t left;		/* CPU left in this burst */
	uint64_t wake_at;
	uint64_t runnable_since;
	uint64_t max_wait;
	uint64_t total_run;
	uint64_t nr_runs;
};

struct toy {
	const struct policy_ops *ops;
	struct policy_conf conf;
	void *st;
	uint32_t nr_cpus;
	uint64_t now;
	uint64_t idle[POLICY_MASK_WORDS];
	int32_t curr[TOY_MAX_CPUS];
	uint64_t run_start[TOY_MAX_CPUS];
	uint64_t slice_end[TOY_MAX_CPUS];
	struct toy_task task[TOY_MAX_TASKS];
	uint32_t nr_tasks;
	uint64_t measure_from;	/* waits that began earlier are not counted */
	uint32_t violations;
	uint32_t kicks;
	uint64_t log[TOY_LOG];
	uint32_t nr_log;
};

/* Set up a host and the policy with defaults plus `params` (NULL-ended). */
void toy_init(struct toy *h, const char *policy, uint32_t nr_cpus,
	      const char *const *params);
void toy_free(struct toy *h);
/* Add a task: burst 0 = hog; weight 0 = nice 0; allowed 0 = every CPU. */
uint32_t toy_add(struct toy *h, uint64_t burst, uint64_t sleep,
		 uint64_t start, uint32_t weight, uint64_t allowed);
/* Run until `until` ns of simulated time. */
void toy_run(struct toy *h, uint64_t until);
struct policy_env toy_env(struct toy *h);

#endif
