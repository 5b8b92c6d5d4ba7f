// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel threads, known by name: the model pins a per-CPU kernel thread
 * (kworker/3:1, ksoftirqd/3) to the CPU its name says, as the kernel does,
 * and the reports leave kernel threads out of the verdict because nobody
 * tunes a policy for them. One list serves both.
 */
#include <string.h>

#include "policy/policy.h"
#include "sim/model/model.h"

static const struct {
	const char *prefix;
	bool per_cpu;		/* named prefix/CPU[:n] while bound */
} kthreads[] = {
	{ "kworker", true }, { "ksoftirqd", true }, { "migration", true },
	{ "cpuhp", true }, { "idle_inject", true }, { "rcuc", true },
	{ "watchdog", true }, { "rcu_", false }, { "kthreadd", false },
	{ "swapper", false }, { "kdamond", false }, { "kcompactd", false },
	{ "kswapd", false }, { "khugepaged", false },
};

#define NR_KTHREADS	(sizeof(kthreads) / sizeof(kthreads[0]))

bool kthread_comm(const char *comm)
{
	if (strchr(comm, '/'))	/* user tasks seldom name themselves so */
		return true;
	for (size_t i = 0; i < NR_KTHREADS; i++)
		if (!strncmp(comm, kthreads[i].prefix, strlen(kthreads[i].prefix)))
			return true;
	return false;
}

int32_t kthread_cpu(const char *comm)
{
	const char *p = NULL;
	int32_t cpu = 0;

	for (size_t i = 0; i < NR_KTHREADS; i++) {
		size_t n = strlen(kthreads[i].prefix);

		if (kthreads[i].per_cpu && !strncmp(comm, kthreads[i].prefix, n) &&
		    comm[n] == '/')
			p = comm + n + 1;
	}
	if (!p || *p < '0' || *p > '9')
		return -1;	/* kworker/u8:0 is unbound */
	while (*p >= '0' && *p <= '9' && cpu < POLICY_MAX_CPUS)
		cpu = cpu * 10 + (*p++ - '0');
	if (*p && *p != ':' && *p != '-')
		return -1;
	return cpu;
}
