// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's steps as scheduler events (see replay_events.h for the
 * rules that keep `recorded` accounting of the stream equal to the
 * replay's own).
 *
 * Per CPU: the task running there, and the switch-out waiting for the
 * CPU's next pick (`out`), with the events that must follow that switch
 * (`held`: the task's own wakeup or exit in the same instant). Everything
 * held is written when the CPU picks, when the task is picked elsewhere,
 * or when simulated time moves on; nothing is held across instants, so the
 * stream stays in time order and memory stays per CPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "sim/model/pidmap.h"
#include "sim/engine/replay_events.h"

#define HELD_MAX	4
#define REUSED_PID_BASE	4194304	/* PID_MAX_LIMIT */
#define EXIT_DEAD	0x10u	/* prev_state X of a dying task */

struct rcpu {
	int32_t curr;		/* task index running, -1 idle */
	int32_t out;		/* task switched out this instant, -1 none */
	uint32_t out_state;
	uint32_t nheld;
	struct sched_event held[HELD_MAX];
};

struct replay_events {
	const struct model *m;
	uint32_t nr_cpus;
	replay_emit_fn emit, repick;
	void *ctx;
	struct engine_sink sink;
	struct rcpu *cpu;
	int32_t *out_cpu;	/* per task: the CPU holding its switch-out */
	int32_t *prio;		/* per task: kernel prio for the records */
	int32_t *pid;		/* per task: its pid in the records */
	uint64_t now;
	uint32_t nout;		/* CPUs with a switch-out held */
	bool started;
	int failed;
};

static void put(struct replay_events *re, const struct sched_event *ev)
{
	if (re->emit(re->ctx, ev))
		re->failed = 1;
}

static uint64_t abs_ts(const struct replay_events *re, uint64_t now)
{
	return re->m->first_ts + now;
}

static void name(const struct replay_events *re, int32_t ti, int32_t cpu,
		 char *comm, int32_t *pid, int32_t *prio)
{
	if (ti < 0) {
		snprintf(comm, TRACE_COMM_LEN, "swapper/%u", (unsigned int)cpu & 0xffff);
		*pid = 0;
		*prio = 120;
		return;
	}
	memcpy(comm, re->m->tasks[ti].comm, TRACE_COMM_LEN);
	comm[TRACE_COMM_LEN - 1] = '\0';
	*pid = re->pid[ti];
	*prio = re->prio[ti];
}

static void put_switch(struct replay_events *re, int32_t c, int32_t prev,
		       uint32_t state, int32_t next)
{
	struct sched_event ev = { .ts = abs_ts(re, re->now), .cpu = c,
				  .type = SEV_SWITCH, .prev_state = state,
				  .cpu2 = -1, .cpu3 = -1 };

	name(re, prev, c, ev.comm, &ev.pid, &ev.prio);
	name(re, next, c, ev.comm2, &ev.pid2, &ev.prio2);
	ev.common_pid = ev.pid;
	put(re, &ev);
}

/* Write c's held switch-out (to next, -1: idle) and what follows it. */
static void release(struct replay_events *re, int32_t c, int32_t next)
{
	struct rcpu *v = &re->cpu[c];

	if (v->out < 0)
		return;
	put_switch(re, c, v->out, v->out_state, next);
	re->out_cpu[v->out] = -1;
	v->out = -1;
	re->nout--;
	for (uint32_t i = 0; i < v->nheld; i++)
		put(re, &v->held[i]);
	v->nheld = 0;
}

static void release_all(struct replay_events *re)
{
	for (uint32_t c = 0; re->nout && c < re->nr_cpus; c++)
		release(re, (int32_t)c, -1);
}

/*
 * Tasks running when the trace began (their first burst is uncounted and
 * initial) switch out asleep at its first instant, on CPUs in turn; every
 * other CPU shows idle there, so all timelines of a trace start together.
 */
static void preamble(struct replay_events *re)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < re->m->nr_tasks; i++) {
		const struct model_task *t = &re->m->tasks[i];

		if (!t->nr_bursts || t->bursts[0].src != BURST_INITIAL ||
		    !(t->bursts[0].flags & BURST_NOCOUNT))
			continue;
		put_switch(re, (int32_t)(k++ % re->nr_cpus), (int32_t)i, 1, -1);
	}
	for (; k < re->nr_cpus; k++)
		put_switch(re, (int32_t)k, -1, 0, -1);
	re->started = true;
}

static void wake(struct replay_events *re, const struct engine_step *s)
{
	int32_t c = s->cpu >= 0 ? s->cpu : s->target >= 0 ? s->target : 0;
	int32_t hold = re->out_cpu[s->task], prio;
	struct sched_event ev = {
		.ts = abs_ts(re, re->now), .cpu = c,
		.type = s->fork ? SEV_WAKEUP_NEW : SEV_WAKING,
		.ctx = s->irq ? SEV_CTX_HARDIRQ : 0,
		.cpu2 = s->target >= 0 ? s->target : c,
		.cpu3 = -1,
	};
	char comm[TRACE_COMM_LEN];

	if (!s->counted)
		return;		/* perf measured no delay for this start */
	name(re, re->cpu[c].curr, c, comm, &ev.common_pid, &prio);
	if (!s->irq && re->cpu[c].curr < 0 && re->cpu[c].out >= 0)
		ev.common_pid = re->pid[re->cpu[c].out];
	name(re, (int32_t)s->task, c, ev.comm, &ev.pid, &ev.prio);
	if (hold < 0) {
		put(re, &ev);
		return;
	}
	if (re->cpu[hold].nheld == HELD_MAX) {
		release(re, hold, -1);
		put(re, &ev);
		return;
	}
	re->cpu[hold].held[re->cpu[hold].nheld++] = ev;
}

static void task_exit(struct replay_events *re, const struct engine_step *s)
{
	const struct model_task *t = &re->m->tasks[s->task];
	int32_t hold = re->out_cpu[s->task];
	struct sched_event ev = { .ts = abs_ts(re, re->now), .type = SEV_EXIT,
				  .pid = re->pid[s->task],
				  .common_pid = re->pid[s->task],
				  .prio = re->prio[s->task], .cpu2 = -1,
				  .cpu3 = -1 };

	if (!t->nr_bursts || !(t->bursts[t->nr_bursts - 1].flags &
			       BURST_LAST_EXIT))
		return;		/* the trace ended with it alive */
	memcpy(ev.comm, t->comm, TRACE_COMM_LEN);
	ev.comm[TRACE_COMM_LEN - 1] = '\0';
	if (hold < 0 || re->cpu[hold].nheld == HELD_MAX)
		return;
	ev.cpu = hold;
	re->cpu[hold].out_state = SEV_STATE_DEAD | EXIT_DEAD;
	re->cpu[hold].held[re->cpu[hold].nheld++] = ev;
}

static void run(struct replay_events *re, const struct engine_step *s)
{
	struct rcpu *v = &re->cpu[s->cpu];
	int32_t elsewhere = re->out_cpu[s->task];

	if (elsewhere >= 0 && elsewhere != s->cpu)
		release(re, elsewhere, -1);
	if (!s->switched && v->out == (int32_t)s->task) {
		/* re-picked where it left: no switch, nothing it held */
		for (uint32_t i = 0; re->repick && i < v->nheld; i++) {
			v->held[i].cpu2 = s->cpu;
			if (v->held[i].type != SEV_EXIT &&
			    re->repick(re->ctx, &v->held[i]))
				re->failed = 1;
		}
		re->out_cpu[s->task] = -1;
		v->out = -1;
		v->nheld = 0;
		re->nout--;
	} else if (v->out >= 0) {
		release(re, s->cpu, (int32_t)s->task);
	} else {
		put_switch(re, s->cpu, v->curr, 0, (int32_t)s->task);
	}
	v->curr = (int32_t)s->task;
}

static void stop(struct replay_events *re, const struct engine_step *s)
{
	struct rcpu *v = &re->cpu[s->cpu];

	if (v->out >= 0)
		release(re, s->cpu, -1);
	v->curr = -1;
	v->out = (int32_t)s->task;
	v->out_state = s->runnable ? SEV_STATE_RUNNING : 1;
	re->out_cpu[s->task] = s->cpu;
	re->nout++;
}

static void on_step(void *ctx, const struct engine_step *s)
{
	struct replay_events *re = ctx;

	if (!re->started)
		preamble(re);
	if (s->now != re->now) {
		release_all(re);
		re->now = s->now;
	}
	switch (s->kind) {
	case STEP_WAKE:
		wake(re, s);
		break;
	case STEP_RUN:
		run(re, s);
		break;
	case STEP_STOP:
		stop(re, s);
		break;
	case STEP_EXIT:
		task_exit(re, s);
		break;
	}
}

/* The kernel prio a record shows for the model's weight (rt: prio 98). */
static int32_t prio_of(const struct model_task *t)
{
	if (t->rt)
		return 98;
	for (int nice = -20; nice < 20; nice++)
		if (policy_nice_to_weight(nice) == t->weight)
			return 120 + nice;
	return 120;
}

/*
 * Each task's pid in the records. A pid the trace gave to a second task
 * after the first exited keeps it for the first only: a replay may run both
 * at once, and one pid doing two things at once would be no schedule.
 * Later ones get pids above the kernel's PID_MAX_LIMIT, which no trace has.
 */
static int assign_pids(struct replay_events *re)
{
	struct pidmap seen;
	int32_t next = REUSED_PID_BASE;

	if (pidmap_init(&seen))
		return -1;
	for (uint32_t i = 0; i < re->m->nr_tasks; i++) {
		int32_t pid = re->m->tasks[i].pid;

		if (pid > 0 && pidmap_get(&seen, pid) != PIDMAP_NONE)
			pid = next++;
		else if (pid > 0 && pidmap_put(&seen, pid, i)) {
			pidmap_free(&seen);
			return -1;
		}
		re->pid[i] = pid;
	}
	pidmap_free(&seen);
	return 0;
}

struct replay_events *replay_events_new(const struct model *m,
					uint32_t nr_cpus, replay_emit_fn emit,
					void *ctx)
{
	struct replay_events *re = calloc(1, sizeof(*re));
	size_t n = m->nr_tasks ? m->nr_tasks : 1;

	if (!re)
		return NULL;
	re->m = m;
	re->nr_cpus = nr_cpus ? nr_cpus : 1;
	re->emit = emit;
	re->ctx = ctx;
	re->sink.step = on_step;
	re->sink.ctx = re;
	re->cpu = calloc(re->nr_cpus, sizeof(*re->cpu));
	re->out_cpu = malloc(n * sizeof(*re->out_cpu));
	re->prio = malloc(n * sizeof(*re->prio));
	re->pid = malloc(n * sizeof(*re->pid));
	if (!re->cpu || !re->out_cpu || !re->prio || !re->pid ||
	    assign_pids(re)) {
		replay_events_free(re);
		return NULL;
	}
	for (uint32_t c = 0; c < re->nr_cpus; c++)
		re->cpu[c].curr = re->cpu[c].out = -1;
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		re->out_cpu[i] = -1;
		re->prio[i] = prio_of(&m->tasks[i]);
	}
	return re;
}

const struct engine_sink *replay_events_sink(struct replay_events *re)
{
	return &re->sink;
}

void replay_events_on_repick(struct replay_events *re, replay_emit_fn fn)
{
	re->repick = fn;
}

const int32_t *replay_events_pids(const struct replay_events *re)
{
	return re->pid;
}

int replay_events_finish(struct replay_events *re)
{
	if (!re->started)
		preamble(re);
	release_all(re);
	return re->failed ? -1 : 0;
}

void replay_events_free(struct replay_events *re)
{
	if (!re)
		return;
	free(re->cpu);
	free(re->out_cpu);
	free(re->prio);
	free(re->pid);
	free(re);
}
