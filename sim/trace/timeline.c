// SPDX-License-Identifier: GPL-2.0
/*
 * The Perfetto timeline writer (see timeline.h).
 *
 * Consecutive events of one CPU share a FtraceEventBundle (as traced_probes
 * writes one per CPU page), closed at a CPU change or at BUNDLE_MAX bytes,
 * so packets stay small for any reader and events stay in global time
 * order, which scxsim's reader relies on. Each event is built in scratch
 * buffers reused for the whole file: writing allocates nothing per event.
 *
 * Only what an ftrace sched record carries is written: no compact_sched,
 * no interning, so every field is plain to `protoc --decode_raw`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/trace/pbuf.h"
#include "sim/trace/perfetto.h"
#include "sim/trace/timeline.h"

#define BUNDLE_MAX	(32u << 10)

struct timeline {
	char *path, *tmp;
	FILE *f;
	int32_t bundle_cpu;
	struct pb bundle, ev, sub, pkt;
	uint64_t events;
	int err;		/* errno of the first failure; -1: memory */
};

static void put_packet(struct timeline *tl, const struct pb *pkt)
{
	uint8_t head[11];
	size_t n = 0;
	uint64_t len = pkt->len;

	if (tl->err)
		return;
	if (pkt->oom) {
		tl->err = -1;
		return;
	}
	head[n++] = PF_TRACE_PACKET << 3 | PB_LEN;
	do {
		head[n++] = (uint8_t)(len | (len >= 0x80 ? 0x80 : 0));
		len >>= 7;
	} while (len);
	if (fwrite(head, 1, n, tl->f) != n ||
	    fwrite(pkt->p, 1, pkt->len, tl->f) != pkt->len)
		tl->err = errno ? errno : EIO;
}

static void flush_bundle(struct timeline *tl)
{
	if (!tl->bundle.len)
		return;
	pb_reset(&tl->pkt);
	pb_msg(&tl->pkt, PF_PACKET_FTRACE_EVENTS, &tl->bundle);
	put_packet(tl, &tl->pkt);
	pb_reset(&tl->bundle);
	tl->bundle_cpu = -1;
}

/*
 * The events the recording enabled, as traced's own config lists them: a
 * reader learns from "sched/sched_waking" that sched_wakeup is to be
 * ignored from the start, as perf sched latency does.
 */
static void trace_config(struct timeline *tl)
{
	static const char *const events[] = {
		"sched/sched_switch", "sched/sched_waking",
		"sched/sched_wakeup", "sched/sched_wakeup_new",
		"sched/sched_process_fork", "sched/sched_process_exit",
		"sched/sched_process_exec", "sched/sched_migrate_task",
	};
	struct pb ftrace = { 0 }, dsc = { 0 }, ds = { 0 }, cfg = { 0 };

	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		pb_str(&ftrace, PF_FTRACE_CONFIG_EVENTS, events[i]);
	pb_str(&dsc, PF_DS_CONFIG_NAME, "linux.ftrace");
	pb_msg(&dsc, PF_DS_CONFIG_FTRACE, &ftrace);
	pb_msg(&ds, PF_DATA_SOURCE_CONFIG, &dsc);
	pb_msg(&cfg, PF_CONFIG_DATA_SOURCES, &ds);
	pb_reset(&tl->pkt);
	pb_msg(&tl->pkt, PF_PACKET_TRACE_CONFIG, &cfg);
	put_packet(tl, &tl->pkt);
	pb_free(&ftrace);
	pb_free(&dsc);
	pb_free(&ds);
	pb_free(&cfg);
}

static void system_info(struct timeline *tl, uint32_t cpus,
			const char *release)
{
	struct pb *uts = &tl->sub, *si = &tl->ev;

	pb_reset(uts);
	pb_reset(si);
	if (release && *release) {
		pb_str(uts, PF_UTSNAME_SYSNAME, "Linux");
		pb_str(uts, PF_UTSNAME_RELEASE, release);
		pb_msg(si, PF_SYSINFO_UTSNAME, uts);
	}
	pb_u64(si, PF_SYSINFO_NUM_CPUS, cpus);
	pb_reset(&tl->pkt);
	pb_msg(&tl->pkt, PF_PACKET_SYSTEM_INFO, si);
	put_packet(tl, &tl->pkt);
}

struct timeline *timeline_open(const char *path, uint32_t cpus,
			       const char *release, bool has_waking,
			       char *err, size_t errlen)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (!tl || !(tl->path = strdup(path)) ||
	    asprintf(&tl->tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		snprintf(err, errlen, "out of memory");
		if (tl)
			free(tl->path);
		free(tl);
		return NULL;
	}
	tl->f = fopen(tl->tmp, "wb");
	if (!tl->f) {
		snprintf(err, errlen, "cannot create: %s", strerror(errno));
		free(tl->tmp);
		free(tl->path);
		free(tl);
		return NULL;
	}
	tl->bundle_cpu = -1;
	system_info(tl, cpus, release);
	if (has_waking)
		trace_config(tl);
	return tl;
}

/* The payload of ev as its sched proto message; its oneof field, or 0. */
static uint32_t payload(struct pb *s, const struct sched_event *ev)
{
	uint32_t state;

	switch (ev->type) {
	case SEV_SWITCH:
		state = ev->prev_state & PF_STATE_MASK;
		if (ev->prev_state & SEV_STATE_DEAD)
			state |= PF_STATE_EXIT_DEAD;
		pb_str(s, PF_SWITCH_PREV_COMM, ev->comm);
		pb_i64(s, PF_SWITCH_PREV_PID, ev->pid);
		pb_i64(s, PF_SWITCH_PREV_PRIO, ev->prio);
		pb_i64(s, PF_SWITCH_PREV_STATE, state);
		pb_str(s, PF_SWITCH_NEXT_COMM, ev->comm2);
		pb_i64(s, PF_SWITCH_NEXT_PID, ev->pid2);
		pb_i64(s, PF_SWITCH_NEXT_PRIO, ev->prio2);
		return PF_EV_SCHED_SWITCH;
	case SEV_WAKING:
	case SEV_WAKEUP:
	case SEV_WAKEUP_NEW:
		pb_str(s, PF_WAKE_COMM, ev->comm);
		pb_i64(s, PF_WAKE_PID, ev->pid);
		pb_i64(s, PF_WAKE_PRIO, ev->prio);
		pb_i64(s, PF_WAKE_SUCCESS, 1);
		pb_i64(s, PF_WAKE_TARGET_CPU, ev->cpu2);
		return ev->type == SEV_WAKING ? PF_EV_SCHED_WAKING :
		       ev->type == SEV_WAKEUP ? PF_EV_SCHED_WAKEUP :
		       PF_EV_SCHED_WAKEUP_NEW;
	case SEV_FORK:
		pb_str(s, PF_FORK_PARENT_COMM, ev->comm2);
		pb_i64(s, PF_FORK_PARENT_PID, ev->pid2);
		pb_str(s, PF_FORK_CHILD_COMM, ev->comm);
		pb_i64(s, PF_FORK_CHILD_PID, ev->pid);
		return PF_EV_SCHED_PROCESS_FORK;
	case SEV_EXIT:
		pb_str(s, PF_EXIT_COMM, ev->comm);
		pb_i64(s, PF_EXIT_PID, ev->pid);
		pb_i64(s, PF_EXIT_PRIO, ev->prio);
		return PF_EV_SCHED_PROCESS_EXIT;
	case SEV_EXEC:
		pb_str(s, PF_EXEC_FILENAME, ev->comm);
		pb_i64(s, PF_EXEC_PID, ev->pid);
		pb_i64(s, PF_EXEC_OLD_PID, ev->pid2);
		return PF_EV_SCHED_PROCESS_EXEC;
	case SEV_MIGRATE:
		pb_str(s, PF_MIGRATE_COMM, ev->comm);
		pb_i64(s, PF_MIGRATE_PID, ev->pid);
		pb_i64(s, PF_MIGRATE_PRIO, ev->prio);
		pb_i64(s, PF_MIGRATE_ORIG_CPU, ev->cpu3);
		pb_i64(s, PF_MIGRATE_DEST_CPU, ev->cpu2);
		return PF_EV_SCHED_MIGRATE_TASK;
	default:
		/* perf's COMM records and sched_stat_runtime: no ftrace
		 * sched message in Perfetto's protos carries them */
		return 0;
	}
}

int timeline_event(struct timeline *tl, const struct sched_event *ev)
{
	uint32_t field, flags;

	if (tl->err)
		return -1;
	pb_reset(&tl->sub);
	field = payload(&tl->sub, ev);
	if (!field)
		return 0;
	flags = (ev->ctx & SEV_CTX_HARDIRQ ? PF_FLAG_HARDIRQ : 0) |
		(ev->ctx & SEV_CTX_SOFTIRQ ? PF_FLAG_SOFTIRQ : 0) |
		(ev->ctx & SEV_CTX_NMI ? PF_FLAG_NMI : 0);
	pb_reset(&tl->ev);
	pb_u64(&tl->ev, PF_EV_TIMESTAMP, ev->ts);
	pb_u64(&tl->ev, PF_EV_PID, ev->common_pid > 0 ?
	       (uint32_t)ev->common_pid : 0);
	if (flags)
		pb_u64(&tl->ev, PF_EV_COMMON_FLAGS, flags);
	pb_msg(&tl->ev, field, &tl->sub);
	if (tl->bundle.len && (tl->bundle_cpu != ev->cpu ||
			       tl->bundle.len >= BUNDLE_MAX))
		flush_bundle(tl);
	if (!tl->bundle.len) {
		tl->bundle_cpu = ev->cpu;
		pb_u64(&tl->bundle, PF_BUNDLE_CPU, (uint32_t)ev->cpu);
	}
	pb_msg(&tl->bundle, PF_BUNDLE_EVENT, &tl->ev);
	if (tl->bundle.oom && !tl->err)
		tl->err = -1;
	tl->events++;
	return tl->err ? -1 : 0;
}

uint64_t timeline_events(const struct timeline *tl)
{
	return tl->events;
}

int timeline_finish(struct timeline *tl, char *err, size_t errlen)
{
	FILE *f = tl->f;

	flush_bundle(tl);
	tl->f = NULL;
	if ((fflush(f) || ferror(f)) && !tl->err)
		tl->err = errno ? errno : EIO;
	if (fclose(f) && !tl->err)
		tl->err = errno ? errno : EIO;
	if (!tl->err)
		return 0;
	if (tl->err < 0)
		snprintf(err, errlen, "out of memory");
	else
		snprintf(err, errlen, "cannot write: %s", strerror(tl->err));
	return -1;
}

static void tl_free(struct timeline *tl)
{
	pb_free(&tl->bundle);
	pb_free(&tl->ev);
	pb_free(&tl->sub);
	pb_free(&tl->pkt);
	free(tl->tmp);
	free(tl->path);
	free(tl);
}

int timeline_commit(struct timeline *tl, char *err, size_t errlen)
{
	int ret = 0;

	if (rename(tl->tmp, tl->path)) {
		snprintf(err, errlen, "cannot replace: %s", strerror(errno));
		unlink(tl->tmp);
		ret = -1;
	}
	tl_free(tl);
	return ret;
}

void timeline_abort(struct timeline *tl)
{
	if (!tl)
		return;
	if (tl->f)
		fclose(tl->f);
	unlink(tl->tmp);
	tl_free(tl);
}
