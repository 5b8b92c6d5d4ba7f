// SPDX-License-Identifier: GPL-2.0
/*
 * Perfetto traces (protobuf): the ftrace sched events of FtraceEventBundle
 * packets, as `scxsim --timeline` writes them and as traced records them
 * with compact_sched off.
 *
 * The file is a Trace: a sequence of `packet` fields, each a TracePacket,
 * read one at a time from the byte source (gzip or plain), so memory stays
 * one packet however long the trace. A bundle names its CPU; each of its
 * events is a timestamp, the current pid, common_flags and one payload
 * message, decoded field by field into struct sched_event. SystemInfo gives
 * the CPU count and kernel release, the ftrace config whether sched_waking
 * was on from the start.
 *
 * The stream must be in time order, as scxsim writes it: traced writes each
 * CPU's pages on its own, and merging those would need per-CPU queues this
 * reader does not have, so an out-of-order event is an error that says so,
 * never a silently wrong latency. compact_sched bundles are refused the same
 * way.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/trace/pbuf.h"
#include "sim/trace/perfetto.h"
#include "sim/trace/reader.h"

#define PACKET_MAX	(TIN_BUF / 2)

struct pft {
	struct pbr bundle;	/* events left in the current bundle */
	int32_t cpu;
	uint64_t packets;
	uint64_t last_ts;
};

/* A string field into a comm buffer (truncated, NUL-terminated). */
static void get_comm(char *dst, const struct pbr *s)
{
	size_t n = (size_t)(s->end - s->p);

	if (n > TRACE_COMM_LEN - 1)
		n = TRACE_COMM_LEN - 1;
	memcpy(dst, s->p, n);
	dst[n] = '\0';
}

/* exec's filename: its last path component is the new comm. */
static void get_basename(char *dst, const struct pbr *s)
{
	struct pbr b = *s;

	for (const uint8_t *p = s->p; p < s->end; p++)
		if (*p == '/')
			b.p = p + 1;
	get_comm(dst, &b);
}

/*
 * The payload's fields into ev. Field numbers per message are in
 * perfetto.h; the wake events share one layout. false: malformed.
 */
static bool payload(uint32_t kind, struct pbr m, struct sched_event *ev)
{
	struct pb_field f;
	int rc;

	while ((rc = pbr_next(&m, &f)) > 0) {
		int32_t v = (int32_t)f.v;
		bool str = f.wt == PB_LEN;

		if (str != (f.num == 1 || (kind == PF_EV_SCHED_SWITCH &&
					   f.num == PF_SWITCH_NEXT_COMM) ||
			    (kind == PF_EV_SCHED_PROCESS_FORK &&
			     f.num == PF_FORK_CHILD_COMM)))
			continue;	/* a field we do not know: skip it */
		switch (kind) {
		case PF_EV_SCHED_SWITCH:
			switch (f.num) {
			case PF_SWITCH_PREV_COMM: get_comm(ev->comm, &f.sub); break;
			case PF_SWITCH_PREV_PID: ev->pid = v; break;
			case PF_SWITCH_PREV_PRIO: ev->prio = v; break;
			case PF_SWITCH_PREV_STATE:
				ev->prev_state = dec_prev_state(f.v, 8);
				break;
			case PF_SWITCH_NEXT_COMM: get_comm(ev->comm2, &f.sub); break;
			case PF_SWITCH_NEXT_PID: ev->pid2 = v; break;
			case PF_SWITCH_NEXT_PRIO: ev->prio2 = v; break;
			}
			break;
		case PF_EV_SCHED_WAKING:
		case PF_EV_SCHED_WAKEUP:
		case PF_EV_SCHED_WAKEUP_NEW:
			switch (f.num) {
			case PF_WAKE_COMM: get_comm(ev->comm, &f.sub); break;
			case PF_WAKE_PID: ev->pid = v; break;
			case PF_WAKE_PRIO: ev->prio = v; break;
			case PF_WAKE_TARGET_CPU: ev->cpu2 = v; break;
			}
			break;
		case PF_EV_SCHED_PROCESS_FORK:
			switch (f.num) {
			case PF_FORK_PARENT_COMM: get_comm(ev->comm2, &f.sub); break;
			case PF_FORK_PARENT_PID: ev->pid2 = v; break;
			case PF_FORK_CHILD_COMM: get_comm(ev->comm, &f.sub); break;
			case PF_FORK_CHILD_PID: ev->pid = v; break;
			}
			break;
		case PF_EV_SCHED_PROCESS_EXIT:
			switch (f.num) {
			case PF_EXIT_COMM: get_comm(ev->comm, &f.sub); break;
			case PF_EXIT_PID: ev->pid = v; break;
			case PF_EXIT_PRIO: ev->prio = v; break;
			}
			break;
		case PF_EV_SCHED_PROCESS_EXEC:
			switch (f.num) {
			case PF_EXEC_FILENAME: get_basename(ev->comm, &f.sub); break;
			case PF_EXEC_PID: ev->pid = v; break;
			case PF_EXEC_OLD_PID: ev->pid2 = v; break;
			}
			break;
		case PF_EV_SCHED_MIGRATE_TASK:
			switch (f.num) {
			case PF_MIGRATE_COMM: get_comm(ev->comm, &f.sub); break;
			case PF_MIGRATE_PID: ev->pid = v; break;
			case PF_MIGRATE_PRIO: ev->prio = v; break;
			case PF_MIGRATE_ORIG_CPU: ev->cpu3 = v; break;
			case PF_MIGRATE_DEST_CPU: ev->cpu2 = v; break;
			}
			break;
		}
	}
	return rc == 0;
}

static uint16_t ev_type(uint32_t kind)
{
	switch (kind) {
	case PF_EV_SCHED_SWITCH: return SEV_SWITCH;
	case PF_EV_SCHED_WAKING: return SEV_WAKING;
	case PF_EV_SCHED_WAKEUP: return SEV_WAKEUP;
	case PF_EV_SCHED_WAKEUP_NEW: return SEV_WAKEUP_NEW;
	case PF_EV_SCHED_PROCESS_FORK: return SEV_FORK;
	case PF_EV_SCHED_PROCESS_EXIT: return SEV_EXIT;
	case PF_EV_SCHED_PROCESS_EXEC: return SEV_EXEC;
	case PF_EV_SCHED_MIGRATE_TASK: return SEV_MIGRATE;
	default: return 0;
	}
}

/* One FtraceEvent: 1 a sched event, 0 another event, -1 malformed. */
static int decode_event(struct pbr m, int32_t cpu, struct sched_event *ev)
{
	struct pb_field f;
	struct pbr body = { 0 };
	uint32_t kind = 0, flags = 0;
	int rc;

	memset(ev, 0, sizeof(*ev));
	ev->cpu = cpu;
	ev->cpu2 = ev->cpu3 = -1;
	while ((rc = pbr_next(&m, &f)) > 0) {
		if (f.num == PF_EV_TIMESTAMP && f.wt == PB_VARINT)
			ev->ts = f.v;
		else if (f.num == PF_EV_PID && f.wt == PB_VARINT)
			ev->common_pid = (int32_t)f.v;
		else if (f.num == PF_EV_COMMON_FLAGS && f.wt == PB_VARINT)
			flags = (uint32_t)f.v;
		else if (f.wt == PB_LEN && ev_type(f.num)) {
			kind = f.num;
			body = f.sub;
		}
	}
	if (rc < 0)
		return -1;
	if (!kind)
		return 0;
	ev->type = ev_type(kind);
	ev->ctx = (uint16_t)((flags & PF_FLAG_HARDIRQ ? SEV_CTX_HARDIRQ : 0) |
			     (flags & PF_FLAG_SOFTIRQ ? SEV_CTX_SOFTIRQ : 0) |
			     (flags & PF_FLAG_NMI ? SEV_CTX_NMI : 0));
	return payload(kind, body, ev) ? 1 : -1;
}

/* SystemInfo: the CPU count and the kernel's release. */
static void system_info(struct trace_reader *r, struct pbr m)
{
	struct pb_field f, u;

	while (pbr_next(&m, &f) > 0) {
		if (f.num == PF_SYSINFO_NUM_CPUS && f.wt == PB_VARINT &&
		    f.v <= 65536 && f.v > r->info.cpus)
			r->info.cpus = (uint32_t)f.v;
		if (f.num != PF_SYSINFO_UTSNAME || f.wt != PB_LEN)
			continue;
		while (pbr_next(&f.sub, &u) > 0)
			if (u.num == PF_UTSNAME_RELEASE && u.wt == PB_LEN) {
				size_t n = (size_t)(u.sub.end - u.sub.p);

				if (n >= sizeof(r->info.release))
					n = sizeof(r->info.release) - 1;
				memcpy(r->info.release, u.sub.p, n);
				r->info.release[n] = '\0';
			}
	}
}

/* The LEN field `num` of m, or an empty cursor. */
static struct pbr sub_field(struct pbr m, uint32_t num)
{
	struct pb_field f;

	while (pbr_next(&m, &f) > 0)
		if (f.num == num && f.wt == PB_LEN)
			return f.sub;
	return (struct pbr){ 0 };
}

/* TraceConfig: was sched/sched_waking enabled? */
static void trace_config(struct trace_reader *r, struct pbr m)
{
	struct pb_field f, e;

	while (pbr_next(&m, &f) > 0) {
		struct pbr ft;

		if (f.num != PF_CONFIG_DATA_SOURCES || f.wt != PB_LEN)
			continue;
		ft = sub_field(sub_field(f.sub, PF_DATA_SOURCE_CONFIG),
			       PF_DS_CONFIG_FTRACE);
		while (pbr_next(&ft, &e) > 0)
			if (e.num == PF_FTRACE_CONFIG_EVENTS && e.wt == PB_LEN &&
			    e.sub.end - e.sub.p == 18 &&
			    !memcmp(e.sub.p, "sched/sched_waking", 18))
				r->info.has_waking = true;
	}
}

/* The next packet's bytes; 0 at a clean end, -1 with r->err set. */
static int next_packet(struct trace_reader *r, struct pbr *pkt)
{
	struct pft *p = r->priv;
	uint64_t len = 0;
	const unsigned char *b = tin_get(&r->in, 1);

	if (!b)
		return r->in.io_error ? rerr(r, "read error") : 0;
	if (*b != (PF_TRACE_PACKET << 3 | PB_LEN))
		return rerr(r, "perfetto trace: packet %llu: not a TracePacket "
			    "field (byte 0x%02x)",
			    (unsigned long long)p->packets + 1, *b);
	for (int shift = 0;; shift += 7) {
		b = shift < 64 ? tin_get(&r->in, 1) : NULL;
		if (!b)
			return rerr(r, "perfetto trace: packet %llu: truncated "
				    "length", (unsigned long long)p->packets + 1);
		len |= (uint64_t)(*b & 0x7f) << shift;
		if (!(*b & 0x80))
			break;
	}
	if (len > PACKET_MAX)
		return rerr(r, "perfetto trace: packet %llu: %llu bytes, more "
			    "than the %u this reader takes",
			    (unsigned long long)p->packets + 1,
			    (unsigned long long)len, PACKET_MAX);
	b = len ? tin_get(&r->in, (size_t)len) : (const unsigned char *)"";
	if (!b)
		return rerr(r, "perfetto trace: packet %llu: truncated",
			    (unsigned long long)p->packets + 1);
	p->packets++;
	pkt->p = b;
	pkt->end = b + len;
	return 1;
}

/* Take what a packet holds; its bundle's events are read next. */
static int open_packet(struct trace_reader *r, struct pbr pkt)
{
	struct pft *p = r->priv;
	struct pb_field f, g;
	int rc;

	while ((rc = pbr_next(&pkt, &f)) > 0) {
		if (f.wt != PB_LEN)
			continue;
		if (f.num == PF_PACKET_SYSTEM_INFO)
			system_info(r, f.sub);
		else if (f.num == PF_PACKET_TRACE_CONFIG)
			trace_config(r, f.sub);
		if (f.num != PF_PACKET_FTRACE_EVENTS)
			continue;
		p->bundle = f.sub;
		p->cpu = 0;
		for (struct pbr m = f.sub; (rc = pbr_next(&m, &g)) > 0;) {
			if (g.num == PF_BUNDLE_CPU && g.wt == PB_VARINT)
				p->cpu = g.v < 65536 ? (int32_t)g.v : -1;
			if (g.num == PF_BUNDLE_COMPACT_SCHED && g.wt == PB_LEN &&
			    g.sub.end > g.sub.p)
				return rerr(r, "perfetto trace: compact_sched "
					    "bundles are not read (record with "
					    "compact_sched disabled)");
		}
		if (rc < 0 || p->cpu < 0)
			break;
	}
	if (rc < 0 || p->cpu < 0)
		return rerr(r, "perfetto trace: packet %llu is malformed",
			    (unsigned long long)p->packets);
	return 0;
}

static int pft_next(struct trace_reader *r, struct sched_event *ev)
{
	struct pft *p = r->priv;

	for (;;) {
		struct pb_field f;
		struct pbr pkt;
		int rc = pbr_next(&p->bundle, &f);

		if (rc < 0)
			return rerr(r, "perfetto trace: packet %llu: malformed "
				    "ftrace bundle",
				    (unsigned long long)p->packets);
		if (rc > 0) {
			if (f.num != PF_BUNDLE_EVENT || f.wt != PB_LEN)
				continue;
			rc = decode_event(f.sub, p->cpu, ev);
			if (rc < 0)
				return rerr(r, "perfetto trace: packet %llu: "
					    "malformed ftrace event",
					    (unsigned long long)p->packets);
			if (!rc)
				continue;
			if (ev->ts < p->last_ts)
				return rerr(r, "perfetto trace: CPU %d's event "
					    "at %llu ns comes after one at %llu "
					    "ns: only traces in time order (as "
					    "scxsim --timeline writes them) are "
					    "read", ev->cpu,
					    (unsigned long long)ev->ts,
					    (unsigned long long)p->last_ts);
			p->last_ts = ev->ts;
			if ((uint32_t)ev->cpu >= r->info.cpus)
				r->info.cpus = (uint32_t)ev->cpu + 1;
			return 1;
		}
		rc = next_packet(r, &pkt);
		if (rc <= 0)
			return rc;
		p->bundle = (struct pbr){ 0 };
		if (open_packet(r, pkt))
			return -1;
	}
}

static void pft_close(struct trace_reader *r)
{
	free(r->priv);
	r->priv = NULL;
}

static const struct reader_ops pft_ops = {
	.next = pft_next,
	.close = pft_close,
};

bool perfetto_probe(const unsigned char *head, size_t n)
{
	uint64_t len;
	size_t k;
	struct pbr m;
	struct pb_field f;
	int rc;

	if (n < 2 || head[0] != (PF_TRACE_PACKET << 3 | PB_LEN))
		return false;
	k = pb_get_varint(head + 1, head + n, &len);
	if (!k || !len)
		return false;
	/* the first packet must parse as far as the probe bytes go */
	m.p = head + 1 + k;
	m.end = len < n - 1 - k ? m.p + len : head + n;
	while ((rc = pbr_next(&m, &f)) > 0)
		;
	return rc == 0 || (len >= n - 1 - k && m.p < m.end);
}

int perfetto_open(struct trace_reader *r)
{
	struct pft *p = calloc(1, sizeof(*p));

	if (!p)
		return rerr(r, "out of memory");
	r->priv = p;
	r->ops = &pft_ops;
	r->info.format = "perfetto";
	tin_seek(&r->in, 0);
	return 0;
}
