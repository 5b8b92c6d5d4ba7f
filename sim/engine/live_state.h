/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the scxlive host model: the state its two halves share, the BPF
 * side (live_host.c, what bpf/scxlive.bpf.c does) and the daemon
 * (live_daemon.c, what live/main.c and live/dispatch.c do), and the few
 * steps each asks of the other.
 */
#ifndef SCX_SIM_LIVE_STATE_H
#define SCX_SIM_LIVE_STATE_H

#include "sim/engine/live_host.h"
#include "sim/engine/state.h"

#define FALLBACK_SLICE_NS	5000000ull	/* fallback_slice_ns */
#define STARVE_NS		2000000000ull	/* starve_ns */
#define HEARTBEAT_NS		2000000ull	/* heartbeat_ns */
#define DISPATCH_SLOTS		512		/* .dispatch_max_batch */
#define RING_MSGS		((1u << 20) / 168)	/* "queued": 1 MiB of 168 B */
/* EV_HOST generations: the daemon's run end, or (this bit) the heartbeat. */
#define GEN_HEARTBEAT		0x80000000u

enum { M_QUEUED, M_RUNNING, M_STOPPING, M_EXIT };
enum { D_DISPATCH, D_KICK };
/*
 * The daemon: yielded into its DSQ (runnable, waiting for a CPU), moved to
 * a CPU's local queue (claimed: it runs once that CPU's task is put back)
 * or on a CPU.
 */
enum { DS_READY, DS_CLAIMED, DS_RUNNING };

struct msg {
	uint8_t kind;
	bool runnable;
	int32_t cpu;
	uint32_t ti;
	uint64_t ts, ran_ns, seq;
	struct policy_task pt;		/* the task as the message saw it */
};

struct dec {
	uint8_t kind;
	int32_t cpu;
	uint32_t ti;
	uint64_t seq, slice, vtime;
};

struct ltask {
	uint64_t seq;		/* latest enqueue number */
	uint64_t held_seq;	/* ... the policy holds it for */
	uint64_t slice, vtime;	/* of its latest decision */
	bool queued;		/* waiting for a decision (BPF side) */
	bool held;		/* queued in the policy (daemon side) */
	bool user_owned;	/* on a CPU because the daemon said so */
	bool known;		/* the daemon has heard of it */
};

struct shared {
	uint32_t ti;
	uint64_t vtime, slice, since, order;
};

struct live_host {
	struct live_cost cost;
	bool notify;		/* the policy has running/stopping hooks */
	struct ltask *t;
	struct msg *msgs;
	size_t nmsg, capmsg, msg_head;
	struct dec *decs, *out;
	size_t ndec, capdec, dec_head, nout, capout;
	struct shared *sh;
	size_t nsh, capsh;
	uint64_t enq_seq, nr_undecided, lone_seq, vtime_run, last_scan;
	uint64_t sh_order;
	uint32_t lone_ti;
	uint64_t kick_mask[POLICY_MASK_WORDS];
	uint64_t idle[POLICY_MASK_WORDS];	/* the daemon's snapshot */
	/* the daemon */
	int state;
	int32_t cpu;		/* where it runs */
	uint32_t gen;		/* of its run's end */
	uint64_t run_start;	/* its switch-in */
	uint64_t piece_start;	/* ... or its slice's refill */
	uint64_t work_since;	/* a decision waits for it since, 0: none */
	bool forced;		/* the heartbeat wants it to run */
	bool stalled;		/* its last run read and answered nothing */
	bool missed;		/* an urgent wakeup came while it ran */
	bool rerun;		/* ... and it stopped with messages unread */
	int32_t hb_cpu;		/* where the heartbeat timer fires */
	uint32_t hb_gen;
	uint64_t hb_switches;	/* task switches at its latest beat */
	int32_t last_cpu;	/* a put-back is SCX_ENQ_LAST of it, or -1 */
	/*
	 * Idle CPUs woken while another CPU worked, and when they run: they
	 * run sooner if every other CPU idles first (live_host_idles()).
	 */
	uint64_t wake_at[POLICY_MAX_CPUS];
	bool wake_shared[POLICY_MAX_CPUS];
	bool kicked_idle;	/* the latest enqueue kicked an idle CPU */
	/*
	 * An interrupt's wakeup onto its own idle CPU, drawn while the other
	 * CPUs idled: its pick's generation there (0: none). Another CPU that
	 * starts running before it ran makes it a shared one.
	 */
	uint32_t local_quiet_gen[POLICY_MAX_CPUS];
};

/* Task ti may run on CPU c. */
static inline bool allowed(const struct engine *e, uint32_t ti, int32_t c)
{
	return c >= 0 && (uint32_t)c < e->nr_cpus &&
	       (e->t[ti].pin < 0 || e->t[ti].pin == c);
}

bool live_grow(struct engine *e, void **p, size_t *cap, size_t n,
	       size_t size);
double live_uniform(struct engine *e);

/* live_daemon.c */
/* Work waits for the daemon (decisions or the heartbeat's force). */
bool live_daemon_has_work(const struct live_host *h);
/*
 * The daemon gets CPU c (the idle CPU or the task it took is gone): it
 * reads the ring, and its answers land when the run's cost has passed.
 * switched: it was switched in (a round's fixed cost), not kept on c.
 */
void live_daemon_run(struct engine *e, int32_t c, bool switched);
/* Its run on c ended now: the answers are in, it yields. */
void live_daemon_round_end(struct engine *e, int32_t c);

/* live_host.c */
/* CPU c starts running something (a task or the daemon). */
void live_host_busy(struct engine *e, int32_t c);
/*
 * ops.dispatch of CPU c after the daemon yielded on it: what it runs next
 * (a task, the daemon again, or nothing).
 */
void live_host_after_daemon(struct engine *e, int32_t c);

#endif /* SCX_SIM_LIVE_STATE_H */
