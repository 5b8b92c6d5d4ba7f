/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seam between scxlive.bpf.c and the daemon in live/: the messages that
 * cross the two ring buffers, the counters and the exit record.
 *
 * Kernel -> user (BPF_MAP_TYPE_RINGBUF "queued"): one struct scxl_msg per
 * event. A QUEUED message carries the task's whole view (what struct
 * policy_task needs) plus an enqueue sequence number; RUNNING/STOPPING/EXIT
 * messages use the same layout so the daemon reads one record type.
 * Enqueue numbers and task uids are never reused, so neither a decision nor
 * an EXIT meant for a dead task can be mistaken for one about a new task
 * that got the same pid.
 *
 * User -> kernel (BPF_MAP_TYPE_USER_RINGBUF "decisions"): one struct
 * scxl_decision per answer. It echoes the sequence number of the enqueue it
 * answers, so the BPF side can drop a decision that was overtaken by a newer
 * enqueue of the same task (counted as "cancelled").
 *
 * Types are the kernel's __u64 & co. so that vmlinux.h (BPF) and
 * <linux/types.h> (user space) both provide them.
 */
#ifndef SCX_BPF_INTF_H
#define SCX_BPF_INTF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SCXL_COMM_LEN		16
#define SCXL_MASK_WORDS		4	/* 256 CPUs, = POLICY_MASK_WORDS */
#define SCXL_MAX_CPUS		(SCXL_MASK_WORDS * 64)
#define SCXL_SHARED_DSQ		0	/* the vtime-ordered DSQ any CPU pulls from */
#define SCXL_CPU_ANY		(-1)

enum scxl_msg_kind {
	SCXL_MSG_QUEUED		= 1,	/* runnable, needs a decision */
	SCXL_MSG_RUNNING	= 2,	/* got a CPU (msg.cpu) */
	SCXL_MSG_STOPPING	= 3,	/* left it (ran_ns, runnable) */
	SCXL_MSG_EXIT		= 4,	/* gone: forget the pid */
};

/* struct scxl_msg.flags: the same bits as enum policy_enq_flags. */
enum scxl_enq_flags {
	SCXL_ENQ_WAKEUP		= 1u << 0,
	SCXL_ENQ_NEW		= 1u << 1,
	SCXL_ENQ_PREEMPTED	= 1u << 2,
	SCXL_ENQ_EXPIRED	= 1u << 3,
	SCXL_ENQ_PERCPU		= 1u << 4,
	SCXL_ENQ_IRQ_WAKE	= 1u << 5,
	SCXL_ENQ_MASK		= 0xffff,	/* what the policy sees */
	/*
	 * Notices about this task the ring had no room for, told on its next
	 * message: a RUNNING (on prev_cpu), a STOPPING (after lost_ran_ns,
	 * still runnable if LOST_RUNNABLE). The daemon replays them first.
	 */
	SCXL_MSG_LOST_RUNNING	= 1u << 16,
	SCXL_MSG_LOST_STOPPING	= 1u << 17,
	SCXL_MSG_LOST_RUNNABLE	= 1u << 18,
};

struct scxl_msg {
	__u32 kind;			/* enum scxl_msg_kind */
	__s32 pid;
	__s32 tgid;
	__u32 weight;			/* sched_ext's scale: nice 0 is 100 */
	__s32 prev_cpu;			/* CPU it last ran on, or -1 */
	__s32 cpu;			/* the CPU it is on (RUNNING: runs on) */
	__u32 flags;			/* enum scxl_enq_flags, SCXL_MSG_LOST_* */
	__u32 nr_cpus_allowed;
	__u32 runnable;			/* STOPPING: still runnable */
	__s32 nice;			/* static_prio - 120: policy weight */
	__u64 seq;			/* QUEUED: enqueue number, unique system-wide */
	__u64 task_uid;			/* unique per task: tells a reused pid apart */
	__u64 cpus_allowed[SCXL_MASK_WORDS];
	__u64 burst_ns;
	__u64 sum_exec_ns;
	__u64 nvcsw;
	__u64 runnable_at;
	__u64 stopped_at;
	__u64 ran_ns;			/* STOPPING: time on the CPU */
	__u64 lost_ran_ns;		/* with SCXL_MSG_LOST_STOPPING */
	__u64 ts;			/* when the BPF side sent it */
	char comm[SCXL_COMM_LEN];
};

enum scxl_decision_kind {
	SCXL_DEC_DISPATCH	= 1,	/* run pid on cpu (or the shared DSQ) */
	SCXL_DEC_KICK		= 2,	/* preempt cpu: policy's enqueue asked */
};

struct scxl_decision {
	__u32 kind;			/* enum scxl_decision_kind */
	__s32 pid;
	__s32 cpu;			/* a CPU or SCXL_CPU_ANY */
	__u32 pad;
	__u64 seq;			/* echo of scxl_msg.seq */
	__u64 slice_ns;
	__u64 vtime;
};

/* Per-CPU counters (PERCPU_ARRAY "stats"), summed by user space. */
enum scxl_stat {
	SCXL_STAT_QUEUED,		/* handed to user space */
	SCXL_STAT_USER_DISPATCH,	/* decisions carried out */
	SCXL_STAT_KERN_DISPATCH,	/* dispatched in BPF (daemon, kthreads) */
	SCXL_STAT_CANCELLED,		/* stale decisions dropped */
	SCXL_STAT_BOUNCED,		/* CPU not allowed: sent to shared DSQ */
	SCXL_STAT_CONGESTED,		/* ring full: kernel-side queue */
	SCXL_STAT_FAILED,		/* a message could not be sent */
	SCXL_STAT_FAST,			/* lone task run on an idling CPU */
	SCXL_STAT_RESCUED,		/* starving in the shared DSQ: run */
	SCXL_STAT_LOST,			/* notices kept for a later message */
	SCXL_NR_STATS,
};

#define SCXL_EXIT_REASON_LEN	128
#define SCXL_EXIT_MSG_LEN	1024

/* What ops.exit saw; the loader prints it after detach. */
struct scxl_exit {
	__s32 kind;			/* enum scx_exit_kind */
	__u32 pad;
	__s64 exit_code;		/* carries SCX_ECODE_ACT_RESTART */
	char reason[SCXL_EXIT_REASON_LEN];
	char msg[SCXL_EXIT_MSG_LEN];
};

/* enum scx_exit_kind and SCX_ECODE_ACT_RESTART values user space needs. */
#define SCXL_EXIT_NONE		0
#define SCXL_EXIT_UNREG		64
#define SCXL_EXIT_UNREG_BPF	65
#define SCXL_EXIT_UNREG_KERN	66
#define SCXL_EXIT_SYSRQ		67
#define SCXL_EXIT_ERROR		1024
#define SCXL_ECODE_ACT_RESTART	(1ULL << 48)

#endif /* SCX_BPF_INTF_H */
