// SPDX-License-Identifier: GPL-2.0
/*
 * Autogroups, inferred from the trace. With CONFIG_SCHED_AUTOGROUP (Debian
 * enables it, sched_autogroup_enabled=1) every session (setsid()) gets a
 * task group of its own: its tasks compete inside the group, and the group
 * competes with other groups and with the root group's tasks (kernel
 * threads, init and what never left init's session) as one entity of
 * nice-0 weight. On a shared host each shell session is such a group (this
 * build host's /proc/PID/autogroup shows one per agent command), so a
 * session with three compilers gets the share one task would get.
 *
 * A trace shows no sessions, only forks. The rule, in order:
 *  - kernel threads (by name, or forked by kthreadd, pid 2), init (pid 1)
 *    and the idle task: the root group, 0;
 *  - a task whose fork the trace shows inherits its forker's group (a
 *    child keeps its parent's session unless it calls setsid(), which
 *    the trace cannot show); a forker the trace never saw run gets a group
 *    of its own, keyed by its pid, which its children share;
 *  - a task already running when the trace began: the group of the
 *    other such tasks of its name (the threads of a process share their
 *    name and their session), else a new one.
 * Group ids are small integers (< number of tasks + 1), so a policy can
 * keep a per-group array beside its per-task one.
 */
#include <string.h>

#include "sim/model/model.h"

/* The group of the first earlier task i that matches, or 0 if none. */
static uint32_t group_of_match(const struct model *m, uint32_t upto,
			       int32_t ppid, const char *comm)
{
	for (uint32_t i = 0; i < upto; i++) {
		const struct model_task *o = &m->tasks[i];

		if (!o->autogroup)
			continue;
		if (ppid ? (o->parent < 0 && o->ppid == ppid) :
			   (!o->ppid && !strcmp(o->comm, comm)))
			return o->autogroup;
	}
	return 0;
}

static bool root_task(const struct model_task *t)
{
	return t->pid <= 2 || (t->ppid > 0 && t->ppid <= 2) ||
	       kthread_comm(t->comm);
}

uint32_t model_autogroups(struct model *m)
{
	uint32_t next = 1;

	/* A forker's index is below its child's: one pass in order. */
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		struct model_task *t = &m->tasks[i];
		uint32_t g;

		t->autogroup = 0;
		if (root_task(t))
			continue;
		if (t->parent >= 0 && (uint32_t)t->parent < i) {
			t->autogroup = m->tasks[t->parent].autogroup;
			continue;
		}
		g = group_of_match(m, i, t->ppid, t->comm);
		t->autogroup = g ? g : next++;
	}
	return next;
}
