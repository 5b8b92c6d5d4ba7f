/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy API: the one seam between a scheduling policy and its two hosts.
 *
 * A policy is pure C. It never reads a clock, never does I/O, never calls the
 * kernel and never allocates: the host (scxsim's engine, or scxlive's
 * dispatch loop) hands it one block of memory sized by state_size(), tells it
 * the time and which CPUs are idle on every hook, and carries out what it
 * answers. Because nothing else reaches the policy, the same object file
 * behaves the same offline and live, and a test can drive it with a few calls.
 *
 * The hook sequence mirrors sched_ext:
 *
 *   wakeup/fork/preemption:  select_cpu (wakeups only) -> enqueue
 *   a CPU wants work:        dispatch(cpu)  (cpu may be POLICY_CPU_ANY live)
 *   the task gets the CPU:   running
 *   it leaves the CPU:       stopping(ran_ns, runnable)
 *   it is gone:              exit_task
 *
 * The hook contract: name, state_size, init, enqueue and dispatch are
 * mandatory (policy_check() refuses an ops without them, and both hosts
 * refuse a policy policy_check() refuses). select_cpu, running, stopping
 * and exit_task are optional: a host skips a missing one as if it had
 * returned at once, and a missing select_cpu is an answer of
 * POLICY_CPU_ANY. Both hosts treat a missing hook exactly alike.
 *
 * Tasks are named by a small integer id (0 .. max_tasks-1) that the host
 * assigns and keeps stable for the task's life; a policy keeps its per-task
 * state in an array indexed by that id inside its own block, so it needs no
 * allocation and no pointers into host memory.
 */
#ifndef SCX_POLICY_H
#define SCX_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POLICY_CPU_ANY		(-1)	/* "any CPU": let the host pick */
#define POLICY_NO_KICK		(-1)	/* enqueue: preempt nobody */
#define POLICY_MAX_CPUS		256
#define POLICY_MASK_WORDS	(POLICY_MAX_CPUS / 64)
#define POLICY_COMM_LEN		16
#define POLICY_MAX_PARAMS	16
#define POLICY_NICE_0_WEIGHT	1024	/* the kernel's weight of a nice-0 task */

/* Why a task is being enqueued (struct policy_task.flags). */
enum policy_enq_flags {
	POLICY_ENQ_WAKEUP	= 1u << 0,	/* woke from sleep */
	POLICY_ENQ_NEW		= 1u << 1,	/* first enqueue after fork */
	POLICY_ENQ_PREEMPTED	= 1u << 2,	/* lost the CPU while runnable */
	POLICY_ENQ_EXPIRED	= 1u << 3,	/* its slice ran out */
	POLICY_ENQ_PERCPU	= 1u << 4,	/* may run on one CPU only */
	POLICY_ENQ_IRQ_WAKE	= 1u << 5,	/* woken from interrupt context */
	POLICY_ENQ_WAKE_CPU	= 1u << 6,	/* wake_cpu is known */
};

/* What the policy sees of a task. Filled by the host before each hook. */
struct policy_task {
	uint32_t id;			/* host-assigned slot, < max_tasks */
	int32_t pid;
	int32_t tgid;
	char comm[POLICY_COMM_LEN];
	uint32_t weight;		/* sched_prio_to_weight[nice + 20] */
	uint32_t autogroup;		/* its session's autogroup, < max_tasks
					 * + 1; 0: the root group, or the host
					 * cannot tell (scxsim infers it from
					 * the trace's forks, scxlive leaves 0) */
	int32_t prev_cpu;		/* CPU it last ran on, or -1 */
	uint32_t flags;			/* enum policy_enq_flags */
	int32_t wake_cpu;		/* POLICY_ENQ_WAKE_CPU: the CPU its
					 * waker ran on (wake_affine's
					 * this_cpu); a host that cannot
					 * tell leaves the flag clear */
	uint32_t nr_cpus_allowed;
	uint64_t cpus_allowed[POLICY_MASK_WORDS];
	uint64_t burst_ns;		/* CPU time since it last slept */
	uint64_t sum_exec_ns;		/* total CPU time */
	uint64_t nvcsw;			/* voluntary context switches */
	uint64_t runnable_at;		/* when it last became runnable */
	uint64_t stopped_at;		/* when it last left a CPU */
};

/* What the host tells the policy on every hook. */
struct policy_env {
	uint64_t now;			/* ns on the host's clock */
	uint32_t nr_cpus;
	const uint64_t *idle;		/* bitmap of idle CPUs, nr_cpus bits */
};

/* What a dispatch answers: run task `id` on `cpu` for `slice_ns`. */
struct policy_dispatch {
	uint32_t id;
	int32_t cpu;			/* a CPU, or POLICY_CPU_ANY */
	uint64_t slice_ns;
	uint64_t vtime;			/* order among dispatched tasks */
};

/* One tunable: integers only, so a policy needs no float parsing. */
struct policy_param {
	const char *name;
	int64_t def, min, max;
	const char *unit;		/* "ns", "%", "" ... */
	const char *desc;
};

/*
 * What a starvation bound depends on (policy_ops.wait_bound): the busiest
 * moment of a run, the waiting task and its neighbours' weights, and how
 * far past its end a used-up slice may run (the host's tick).
 */
struct policy_bound_in {
	uint32_t nr_runnable;		/* most tasks runnable at once */
	uint32_t nr_cpus;		/* CPUs the waiting task may run on */
	uint32_t weight;		/* the waiting task's */
	uint32_t max_weight;		/* the heaviest task's */
	uint64_t tick_ns;		/* slice overrun; 0: slices end exactly */
};

/* The configuration a policy is initialised with. */
struct policy_conf {
	uint32_t nr_cpus;
	uint32_t max_tasks;
	int64_t param[POLICY_MAX_PARAMS];	/* in the order of ops->params */
};

struct policy_ops {
	const char *name;
	const char *desc;			/* one line */
	/*
	 * A model of the kernel's own fair class (eevdf): its wakeup
	 * preemptions follow the recording kernel's preemption model (a
	 * lazy one waits for the tick), where a sched_ext kick preempts at
	 * once whatever the kernel's model.
	 */
	bool fair_class;
	const struct policy_param *params;
	uint32_t nr_params;

	/* Bytes of state for this configuration (all of it, per-task included). */
	size_t (*state_size)(const struct policy_conf *conf);
	/* Set up a zeroed block of state_size() bytes. 0 or a negative error. */
	int (*init)(void *st, const struct policy_conf *conf);

	/* A task woke: which CPU should it run on (or POLICY_CPU_ANY)? */
	int32_t (*select_cpu)(void *st, const struct policy_env *env,
			      const struct policy_task *t, int32_t prev_cpu);
	/*
	 * The task is runnable and needs a CPU. Returns a CPU whose current
	 * task should be preempted in its favour, or POLICY_NO_KICK.
	 */
	int32_t (*enqueue)(void *st, const struct policy_env *env,
			   const struct policy_task *t);
	/* `cpu` wants work: fill *out and return true, or false if none. */
	bool (*dispatch)(void *st, const struct policy_env *env, int32_t cpu,
			 struct policy_dispatch *out);
	void (*running)(void *st, const struct policy_env *env,
			const struct policy_task *t, int32_t cpu);
	void (*stopping)(void *st, const struct policy_env *env,
			 const struct policy_task *t, int32_t cpu,
			 uint64_t ran_ns, bool runnable);
	/* The task is gone; forget it (and drop it from any queue). */
	void (*exit_task)(void *st, const struct policy_env *env,
			  const struct policy_task *t);
	/*
	 * Optional: the starvation bound the policy's comment states, as a
	 * number a host can check a run against: the longest a runnable task
	 * may wait under conf in the situation `in` describes. 0 or NULL:
	 * the policy promises none.
	 */
	uint64_t (*wait_bound)(const struct policy_conf *conf,
			       const struct policy_bound_in *in);
};

/* Errors from the registry and from init(). */
enum policy_err {
	POLICY_OK		= 0,
	POLICY_E_UNKNOWN	= -1,	/* no such policy */
	POLICY_E_KEY		= -2,	/* no such parameter */
	POLICY_E_VALUE		= -3,	/* not an integer (with optional unit) */
	POLICY_E_RANGE		= -4,	/* outside [min, max] */
	POLICY_E_SYNTAX		= -5,	/* not KEY=VALUE */
	POLICY_E_CONF		= -6,	/* nr_cpus or max_tasks unusable */
	POLICY_E_OPS		= -7,	/* a mandatory hook is missing */
};

/* The registry (policy/registry.c). */
extern const struct policy_ops *const policy_registry[];	/* NULL-ended */
const struct policy_ops *policy_find(const char *name);
/* POLICY_OK if ops has every mandatory hook (see the contract above). */
int policy_check(const struct policy_ops *ops);
void policy_conf_defaults(struct policy_conf *conf, const struct policy_ops *ops,
			  uint32_t nr_cpus, uint32_t max_tasks);
/*
 * Set one parameter from "KEY=VALUE". VALUE is an integer, optionally with a
 * unit suffix when the parameter's unit is "ns" (ns, us, ms, s). On error,
 * *bad (if non-NULL) points at the parameter involved, for the message.
 */
int policy_conf_set(struct policy_conf *conf, const struct policy_ops *ops,
		    const char *kv, const struct policy_param **bad);
const char *policy_strerror(int err);
/*
 * A duration: decimal digits, an optional fraction, an optional unit (ns,
 * us, ms, s); without a unit, in units of unit_ns. POLICY_OK, POLICY_E_VALUE
 * (not a duration) or POLICY_E_RANGE (over UINT64_MAX ns). The one
 * duration parser of the project: -p values, scxsim's and scxlive's options.
 */
int policy_parse_duration(const char *s, uint64_t unit_ns, uint64_t *ns);
/*
 * Line `line` of a policy's --list-policies entry into buf (always
 * NUL-ended): 0 is "NAME  DESC", 1..nr_params each parameter as
 * "    KEY=DEF  (MIN..MAX UNIT)  DESC", its key qualified as
 * NAME<qualify>KEY when qualify is not NULL (scxsim's -p P.K=V). Returns
 * the length the whole line needs, as snprintf does.
 */
size_t policy_list_line(const struct policy_ops *ops, uint32_t line,
			const char *qualify, char *buf, size_t len);

/*
 * The parameter file both hosts read with -p @FILE: one item a line, each
 * what -p takes on the command line (POLICY.KEY=VALUE; scxlive also takes
 * KEY=VALUE for the policy it runs). Lines whose first non-blank is '#'
 * are comments; blanks around an item and empty lines are ignored (a '#'
 * after an item is part of it, and its value will not parse).
 * Walks text[0..len) from *pos: returns the next item's length (0 when
 * there is none left), with *item at its first byte and *line its 1-based
 * line number (*line starts at 0; *pos and *line carry the walk).
 */
size_t policy_param_next(const char *text, size_t len, size_t *pos,
			 unsigned int *line, const char **item);

/* sched_prio_to_weight[nice + 20]; nice outside [-20, 19] is clamped. */
uint32_t policy_nice_to_weight(int nice);
static inline bool policy_cpu_test(const uint64_t *mask, int32_t cpu)
{
	return cpu >= 0 && cpu < POLICY_MAX_CPUS &&
	       (mask[cpu / 64] >> (cpu % 64)) & 1;
}

#endif /* SCX_POLICY_H */
