/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace readers: one time-ordered stream of scheduler events, whatever the
 * file is (trace-cmd .dat v6/v7, perf.data, the text of `trace-cmd report`
 * or `perf script`, or any of them gzip-compressed).
 *
 * The format is detected from the content. Readers stream: memory stays
 * bounded by per-CPU buffers and per-task state, not by trace length.
 * Everything after the readers (latency accounting, the workload model)
 * sees only struct sched_event, never a file format.
 */
#ifndef SCX_TRACE_H
#define SCX_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_COMM_LEN 16
/* How far per-CPU clocks may disagree before time order is broken. */
#define TRACE_SKEW_NS	1000000u

enum sched_ev_type {
	SEV_SWITCH = 1,		/* pid=prev, pid2=next */
	SEV_WAKING,		/* pid=wakee, cpu2=target_cpu */
	SEV_WAKEUP,		/* pid=wakee, cpu2=target_cpu */
	SEV_WAKEUP_NEW,		/* pid=child, cpu2=target_cpu */
	SEV_FORK,		/* pid=child, pid2=parent */
	SEV_EXIT,		/* pid=exiting task */
	SEV_EXEC,		/* pid=task, pid2=old_pid, comm=new comm */
	SEV_MIGRATE,		/* pid=task, cpu2=dest_cpu, cpu3=orig_cpu */
	SEV_COMM,		/* pid (tid)=task, comm=name (perf's COMM record) */
	SEV_RUNTIME,		/* pid=task, runtime=ns (sched_stat_runtime) */
};

/* sched_event.ctx: where the event fired (from common_flags). */
enum sched_ev_ctx {
	SEV_CTX_HARDIRQ = 1u << 0,
	SEV_CTX_SOFTIRQ = 1u << 1,
	SEV_CTX_NMI	= 1u << 2,
};

/*
 * prev_state of a switch, normalised across kernel versions: 0 means the
 * task was still runnable (preempted); otherwise the TASK_* sleep bits as
 * the kernel defines them (1 = S, 2 = D, ...; 0x100-ish dead states folded
 * into SEV_STATE_DEAD).
 */
#define SEV_STATE_RUNNING	0u
#define SEV_STATE_DEAD		0x10000u

struct sched_event {
	uint64_t ts;			/* ns */
	int32_t cpu;			/* CPU the record was written on */
	uint16_t type;			/* enum sched_ev_type */
	uint16_t ctx;			/* enum sched_ev_ctx */
	int32_t common_pid;		/* current task when it fired */
	int32_t pid;			/* the subject, see sched_ev_type */
	int32_t pid2;
	int32_t prio, prio2;		/* kernel prio (120 = nice 0) */
	int32_t cpu2, cpu3;
	uint32_t prev_state;		/* SEV_SWITCH only */
	char comm[TRACE_COMM_LEN];	/* of pid */
	char comm2[TRACE_COMM_LEN];	/* of pid2 */
	uint64_t runtime;		/* SEV_RUNTIME only */
};

struct trace_info {
	const char *path;
	const char *format;		/* "trace-cmd-v6", "perf.data", ... */
	bool gzip;
	uint32_t cpus;			/* CPUs the trace covered */
	uint64_t events;		/* sched events returned so far */
	uint64_t lost_events;		/* records the tracer says it dropped */
	uint64_t first_ts, last_ts;
	/*
	 * Events stamped up to TRACE_SKEW_NS before the one read before them,
	 * taken at that earlier event's time (see trace_next()).
	 */
	uint64_t skewed_events;
	/*
	 * The recording enabled sched_waking (perf.data: it is in the event
	 * list). perf sched latency then ignores sched_wakeup altogether.
	 */
	bool has_waking;
	/*
	 * The most decoded events the reader held at once, waiting for their
	 * turn (perf.data: its per-CPU buffers' reorder window), and their
	 * size: what reading costs in memory, whatever the file's length.
	 */
	uint64_t held_peak;
	uint64_t held_bytes;
	/*
	 * Release of the kernel that recorded the trace ("6.18.3+deb13-amd64"),
	 * empty when the file does not say (text formats): the simulator picks
	 * the EEVDF variant that kernel ran from it.
	 */
	char release[64];
};

struct trace_reader;

/*
 * Open PATH. On failure returns NULL and writes one line to err naming what
 * is wrong (the caller prefixes the path).
 */
struct trace_reader *trace_open(const char *path, char *err, size_t errlen);
/*
 * 1: *ev filled; 0: end of trace; -1: error, message in trace_error().
 * Events come in time order: a stamp more than TRACE_SKEW_NS earlier than
 * the one before it is an error; a smaller step back is taken as no step.
 */
int trace_next(struct trace_reader *r, struct sched_event *ev);
const struct trace_info *trace_info(const struct trace_reader *r);
const char *trace_error(const struct trace_reader *r);
void trace_close(struct trace_reader *r);

#endif /* SCX_TRACE_H */
