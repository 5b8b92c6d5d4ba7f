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
#include <stdlib.h>
#include <string.h>

#include "sim/model/model.h"

/*
 * The groups of tasks whose forker is unknown, by key (their forker's pid,
 * or their name when the fork was not seen): open addressing over a table
 * of twice the tasks, so inferring is linear in the tasks.
 */
struct group_key {
	int32_t ppid;		/* 0: keyed by comm */
	uint32_t group;		/* 0: empty slot */
	const char *comm;
};

static uint64_t key_hash(int32_t ppid, const char *comm)
{
	uint64_t h = 1469598103934665603ull ^ (uint32_t)ppid;

	if (!ppid)
		for (; *comm; comm++)
			h = (h ^ (unsigned char)*comm) * 1099511628211ull;
	return h * 1099511628211ull;
}

/* The slot of key (ppid, comm): its group, or the empty slot to fill. */
static struct group_key *key_slot(struct group_key *tab, uint32_t n,
				  int32_t ppid, const char *comm)
{
	uint32_t i = (uint32_t)(key_hash(ppid, comm) % n);

	while (tab[i].group && (tab[i].ppid != ppid ||
				(!ppid && strcmp(tab[i].comm, comm))))
		i = (i + 1) % n;
	return &tab[i];
}

static bool root_task(const struct model_task *t)
{
	return t->pid <= 2 || (t->ppid > 0 && t->ppid <= 2) ||
	       kthread_comm(t->comm);
}

int model_autogroups(struct model *m)
{
	uint32_t next = 1, n = 2 * m->nr_tasks + 1;
	struct group_key *tab = calloc(n, sizeof(*tab));

	if (!tab)
		return -1;
	/* A forker's index is below its child's: one pass in order. */
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		struct model_task *t = &m->tasks[i];
		struct group_key *k;

		t->autogroup = 0;
		if (root_task(t))
			continue;
		if (t->parent >= 0 && (uint32_t)t->parent < i) {
			t->autogroup = m->tasks[t->parent].autogroup;
			continue;
		}
		k = key_slot(tab, n, t->ppid, t->comm);
		if (!k->group)
			*k = (struct group_key){ .ppid = t->ppid, .group = next++,
						 .comm = t->comm };
		t->autogroup = k->group;
	}
	free(tab);
	m->nr_autogroups = next;
	return 0;
}
