// SPDX-License-Identifier: GPL-2.0
/*
 * The trace's own wakeup delays, reproducing tools/perf/builtin-sched.c
 * (perf 6.12) `perf sched latency` on our event stream:
 *
 * - every task has a list of "work atoms"; only the newest matters, so we
 *   keep one per task: its state (sleeping / waiting for a CPU / ran /
 *   ignored), sched-out time and wake-up time;
 * - switch-out opens a new atom, runnable ('R', i.e. preempted: prev_state
 *   0 after normalisation, which also covers TASK_REPORT_MAX "R+") if the
 *   task was still runnable, waiting since the switch-out;
 * - a task first seen being switched in gets an 'R' atom at that instant:
 *   a delay of 0 that still counts, as in perf;
 * - a wakeup only moves a sleeping atom to waiting (a task first seen in a
 *   wakeup gets a sleeping atom at that time first), and not if it would
 *   go back in time; sched_wakeup is ignored when the recording has
 *   sched_waking (wakeup_new never is); migrations are ignored (perf only
 *   uses them when profiling one CPU);
 * - switch-in of a waiting atom measures the delay, unless the wake-up is
 *   later than the switch-in (atom ignored);
 * - sched_stat_runtime adds runtime, opening an 'R' atom for an unknown task.
 *
 * Pids come from the events' own fields (a dying task's last switch-out
 * can carry sample tid -1 in perf.data). Rows are named as perf names them:
 * in a perf.data by the COMM records (last one wins, forks inherit, ":tid"
 * when perf never heard of the task), elsewhere by the last comm an event
 * carried. The idle task ("swapper", pid 0) is left out, as perf does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/pidmap.h"
#include "sim/report/recorded.h"

enum atom_state {
	ATOM_SLEEPING = 0,
	ATOM_WAIT_CPU,
	ATOM_SCHED_IN,
	ATOM_IGNORE,
};

struct lat_task {
	int32_t pid;
	uint8_t state;		/* enum atom_state of the newest atom */
	bool has_perf_comm, has_ev_comm;
	bool has_atoms;		/* perf made work_atoms for it: it has a row */
	uint64_t sched_out_time, wake_up_time, exit_ts;
	char perf_comm[TRACE_COMM_LEN];
	char ev_comm[TRACE_COMM_LEN];
};

struct recorded {
	struct metrics *m;
	struct lat_task *tasks;
	uint32_t ntasks, cap;
	struct pidmap index;	/* pid -> tasks[] */
	bool saw_comm_records;	/* perf.data: names come from COMM records */
	bool saw_waking;
	/* CPU utilisation: per CPU, when it left idle (0: idle) */
	uint64_t *busy_since;
	int32_t ncpu;
	uint64_t busy_ns, first_ts, last_ts;
	bool any;
};

/* The pid's state, created on first sight (*fresh: just created). */
static struct lat_task *find(struct recorded *rc, int32_t pid, bool *fresh)
{
	uint32_t i = pidmap_get(&rc->index, pid);
	struct lat_task *t;

	*fresh = false;
	if (i != PIDMAP_NONE)
		return &rc->tasks[i];
	if (rc->ntasks == rc->cap) {
		uint32_t cap = rc->cap ? rc->cap * 2 : 512;
		struct lat_task *nt = realloc(rc->tasks, cap * sizeof(*nt));

		if (!nt)
			return NULL;
		rc->tasks = nt;
		rc->cap = cap;
	}
	if (pidmap_put(&rc->index, pid, rc->ntasks))
		return NULL;
	t = &rc->tasks[rc->ntasks++];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	*fresh = true;
	return t;
}

/*
 * The pid's state for an event that makes perf create its work_atoms
 * (thread_atoms_insert); *fresh tells that it just did.
 */
static struct lat_task *task(struct recorded *rc, int32_t pid, bool *fresh)
{
	struct lat_task *t = find(rc, pid, fresh);

	if (!t)
		return NULL;
	*fresh = !t->has_atoms;
	if (!t->has_atoms) {
		t->has_atoms = true;
		metrics_touch(rc->m, pid);
	}
	return t;
}

struct recorded *recorded_new(void)
{
	struct recorded *rc = calloc(1, sizeof(*rc));

	if (!rc)
		return NULL;
	rc->m = metrics_new();
	if (!rc->m || pidmap_init(&rc->index)) {
		recorded_free(rc);
		return NULL;
	}
	return rc;
}

void recorded_free(struct recorded *rc)
{
	if (!rc)
		return;
	metrics_free(rc->m);
	free(rc->tasks);
	pidmap_free(&rc->index);
	free(rc->busy_since);
	free(rc);
}

/* add_sched_out_event: a new atom. */
static void sched_out(struct lat_task *t, bool runnable, uint64_t ts)
{
	t->sched_out_time = ts;
	t->wake_up_time = 0;
	t->state = ATOM_SLEEPING;
	if (runnable) {
		t->state = ATOM_WAIT_CPU;
		t->wake_up_time = ts;
	}
}

/* add_sched_in_event */
static void sched_in(struct recorded *rc, struct lat_task *t, uint64_t ts)
{
	if (t->state != ATOM_WAIT_CPU)
		return;
	if (ts < t->wake_up_time) {
		t->state = ATOM_IGNORE;
		return;
	}
	t->state = ATOM_SCHED_IN;
	metrics_delay(rc->m, t->pid, ts - t->wake_up_time, ts);
}

static void ev_name(struct lat_task *t, const char *comm)
{
	if (!t || !comm[0])
		return;
	memcpy(t->ev_comm, comm, TRACE_COMM_LEN);
	t->ev_comm[TRACE_COMM_LEN - 1] = '\0';
	t->has_ev_comm = true;
}

static void account_cpu(struct recorded *rc, const struct sched_event *ev)
{
	int32_t cpu = ev->cpu;

	if (cpu < 0 || cpu >= 65536)
		return;
	if (cpu >= rc->ncpu) {
		int32_t n = cpu + 1 > rc->ncpu * 2 ? cpu + 1 : rc->ncpu * 2;
		uint64_t *b = realloc(rc->busy_since, (size_t)n * sizeof(*b));

		if (!b)
			return;
		memset(b + rc->ncpu, 0, (size_t)(n - rc->ncpu) * sizeof(*b));
		rc->busy_since = b;
		rc->ncpu = n;
	}
	if (rc->busy_since[cpu] && ev->ts > rc->busy_since[cpu])
		rc->busy_ns += ev->ts - rc->busy_since[cpu];
	rc->busy_since[cpu] = ev->pid2 ? ev->ts : 0;
}

void recorded_event(struct recorded *rc, const struct trace_info *info,
		    const struct sched_event *ev)
{
	struct lat_task *t, *in;
	bool fresh;

	if (!rc->any || ev->ts < rc->first_ts)
		rc->first_ts = ev->ts;
	if (ev->ts > rc->last_ts)
		rc->last_ts = ev->ts;
	rc->any = true;
	switch (ev->type) {
	case SEV_SWITCH:
		account_cpu(rc, ev);
		t = task(rc, ev->pid, &fresh);
		if (!t)
			return;
		ev_name(t, ev->comm);
		sched_out(t, ev->prev_state == SEV_STATE_RUNNING, ev->ts);
		in = task(rc, ev->pid2, &fresh);
		if (!in)
			return;
		ev_name(in, ev->comm2);
		if (fresh)
			sched_out(in, true, ev->ts);
		sched_in(rc, in, ev->ts);
		break;
	case SEV_WAKING:
		rc->saw_waking = true;
		/* fall through */
	case SEV_WAKEUP:
	case SEV_WAKEUP_NEW:
		if (ev->type == SEV_WAKEUP &&
		    ((info && info->has_waking) || rc->saw_waking))
			break;
		t = task(rc, ev->pid, &fresh);
		if (!t)
			return;
		ev_name(t, ev->comm);
		if (fresh)
			sched_out(t, false, ev->ts);
		if (t->state != ATOM_SLEEPING || t->sched_out_time > ev->ts)
			break;
		t->state = ATOM_WAIT_CPU;
		t->wake_up_time = ev->ts;
		break;
	case SEV_RUNTIME:
		t = task(rc, ev->pid, &fresh);
		if (!t)
			return;
		ev_name(t, ev->comm);
		if (fresh)
			sched_out(t, true, ev->ts);
		metrics_runtime(rc->m, ev->pid, ev->runtime);
		break;
	case SEV_COMM:
		rc->saw_comm_records = true;
		t = find(rc, ev->pid, &fresh);
		if (!t)
			return;
		/* a name alone opens no atom: perf has no atoms for it */
		memcpy(t->perf_comm, ev->comm, TRACE_COMM_LEN);
		t->perf_comm[TRACE_COMM_LEN - 1] = '\0';
		t->has_perf_comm = true;
		break;
	case SEV_EXEC:
	case SEV_FORK:
	case SEV_EXIT:
	case SEV_MIGRATE:
		t = find(rc, ev->pid, &fresh);
		if (!t)
			return;
		ev_name(t, ev->comm);
		if (ev->type == SEV_EXIT)
			t->exit_ts = ev->ts;
		break;
	default:
		break;
	}
}

struct result *recorded_finish(struct recorded *rc, const struct trace_info *info,
			       unsigned int flags)
{
	uint32_t cpus = info && info->cpus ? info->cpus : (uint32_t)rc->ncpu;

	for (uint32_t i = 0; i < rc->ntasks; i++) {
		const struct lat_task *t = &rc->tasks[i];
		char name[TRACE_COMM_LEN];

		if (!t->has_atoms)
			continue;
		if (t->exit_ts)
			metrics_exit(rc->m, t->pid, t->exit_ts);
		if (t->pid == 0) {
			metrics_ignore(rc->m, 0);
			continue;
		}
		if (rc->saw_comm_records) {
			if (t->has_perf_comm)
				memcpy(name, t->perf_comm, sizeof(name));
			else
				snprintf(name, sizeof(name), ":%d", (int)t->pid);
		} else if (t->has_ev_comm) {
			memcpy(name, t->ev_comm, sizeof(name));
		} else {
			snprintf(name, sizeof(name), ":%d", (int)t->pid);
		}
		if (!strcmp(name, "swapper"))
			metrics_ignore(rc->m, t->pid);
		else
			metrics_comm(rc->m, t->pid, name);
	}
	metrics_util(rc->m, rc->busy_ns, cpus, rc->last_ts - rc->first_ts);
	return metrics_finish(rc->m, "recorded", flags);
}

int recorded_run(struct trace_reader *r, struct result **out, char *err,
		 size_t errlen)
{
	struct recorded *rc = recorded_new();
	struct sched_event ev;
	int n;

	*out = NULL;
	if (!rc) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while ((n = trace_next(r, &ev)) > 0)
		recorded_event(rc, trace_info(r), &ev);
	if (n < 0) {
		snprintf(err, errlen, "%s", trace_error(r));
		recorded_free(rc);
		return -1;
	}
	*out = recorded_finish(rc, trace_info(r), METRICS_PERF_ROWS);
	recorded_free(rc);
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}
