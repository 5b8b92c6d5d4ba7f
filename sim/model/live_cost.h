/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a decision costs when scxlive takes it: the measured distributions
 * the scxlive host model of the engine draws from.
 *
 * scxlive's daemon is a task. Each time work arrives for it, it must be
 * woken and get a CPU (the wake cost, apart for an idle CPU and for a busy
 * one it preempts), then it runs for a while (a cost per round plus one per
 * message it handles) before its answers can land. None of these is one
 * number: under an emulated guest the daemon's wakeup usually takes ~100 us
 * and sometimes 10 ms, and the tail is what a p99 is made of. Nor is it the
 * same on an idle and a busy machine: a guest whose vCPUs share one host
 * thread runs the daemon at half speed while another vCPU works, and
 * wakes an idle vCPU only when it leaves the busy one, so a run and an
 * idle CPU's wakeup are measured apart for both cases; an interrupt's
 * wakeup onto the idle CPU it came on needs no other vCPU to let go (that
 * CPU is awake already), so it is measured apart from one sent to another
 * CPU. And a wakeup that sched_ext's BPF side
 * serves alone (select_cpu_dfl, an idle CPU, the fast path) costs what it
 * costs under scxlive, not what the recorded kernel's did. So each cost
 * is kept as LIVE_COST_Q quantiles (equal-probability bins) and the replay
 * draws from them.
 *
 * The defaults were measured from traces recorded under scxlive (see
 * sim/model/live-cost.txt for the machine); `scxsim --measure-live TRACE...` measures
 * them from your own recordings (`make live-costs` does it in the qemu
 * guest) and writes the file `--live-cost FILE` reads back.
 */
#ifndef SCX_SIM_LIVE_COST_H
#define SCX_SIM_LIVE_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LIVE_COST_Q	32

enum live_cost_kind {
	LCOST_WAKE_IDLE,	/* an idle CPU kicked for the daemon: to it running */
	LCOST_WAKE_BUSY,	/* a busy CPU preempted for it (an interrupt's
				 * wakeup there): to it running */
	LCOST_ROUND,		/* one daemon run, messages apart, other CPUs idle */
	LCOST_ROUND_SHARED,	/* ... while another CPU was busy */
	LCOST_WAKE_TASK,	/* a task woken onto an idle CPU that ran it
				 * without the daemon (BPF fast path) */
	LCOST_WAKE_IDLE_SHARED,	/* WAKE_IDLE while another CPU was busy */
	LCOST_WAKE_TASK_SHARED,	/* WAKE_TASK while another CPU was busy */
	LCOST_WAKE_BUSY_SHARED,	/* WAKE_BUSY while another CPU was busy */
	LCOST_WAKE_FREED,	/* an idle CPU woken while another was busy,
				 * which idled first: from then to it running */
	LCOST_WAKE_LOCAL,	/* WAKE_TASK by an interrupt on that idle CPU
				 * itself (a timer's): it is awake, no IPI */
	LCOST_WAKE_LOCAL_SHARED,	/* WAKE_LOCAL while another CPU was busy
				 * (at the wakeup) */
	LCOST_NR,
};

struct live_cost {
	uint64_t q[LCOST_NR][LIVE_COST_Q];	/* ns, ascending */
	uint64_t per_msg_ns;			/* CPU time per message handled */
	/*
	 * The measuring machine's kernel wakeup path (model.h's
	 * kernel_path_ns, over the calibration traces), 0: unknown. A trace
	 * whose own is many times shorter came from a faster machine.
	 */
	uint64_t kernel_path_ns;
	double scale;				/* applied so far (1: as measured) */
	bool scale_auto;			/* scale=auto: by the trace's path */
	char source[160];			/* where the figures came from */
};

extern const char *const live_cost_names[LCOST_NR];

/* The shipped defaults (measured; the machine is in source). */
void live_cost_default(struct live_cost *c);

/*
 * Change c by one --live-cost argument: a cost file (as --measure-live
 * writes it), or KEY=DURATION for a fixed value (wake_idle, wake_busy,
 * round, per_msg; "ns", "us", "ms", "s" suffixes). 0, or -1 with one line in
 * err. scale=F multiplies every cost by F (0 < F <= 100); scale=auto by
 * the replayed trace's kernel wakeup path over the measuring machine's.
 */
int live_cost_apply(struct live_cost *c, const char *arg, char *err,
		    size_t errlen);

/* Every cost times f (scale=F, or scale=auto once the trace is known). */
void live_cost_scale(struct live_cost *c, double f);

/* A draw from distribution k for u uniform in [0, 1). */
uint64_t live_cost_draw(const struct live_cost *c, enum live_cost_kind k,
			double u);
/* Its median, for reports. */
uint64_t live_cost_median(const struct live_cost *c, enum live_cost_kind k);

/* Write c in the format live_cost_apply reads, with comment lines first. */
void live_cost_write(FILE *f, const struct live_cost *c, const char *comment);

/* Quantiles of n samples (sorted in place) into q; n > 0. */
void live_cost_quantiles(uint64_t *samples, size_t n,
			 uint64_t q[LIVE_COST_Q]);

#endif /* SCX_SIM_LIVE_COST_H */
