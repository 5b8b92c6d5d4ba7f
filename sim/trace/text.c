// SPDX-License-Identifier: GPL-2.0
/*
 * Text traces: the output of `trace-cmd report` (plugin style, or -N raw
 * print formats) and of `perf script` (default fields). Both print one
 * event per line as
 *
 *   COMM-PID [CPU] SECS.FRAC: EVENT: PAYLOAD        (trace-cmd report)
 *   COMM PID [CPU] SECS.FRAC: sched:EVENT: PAYLOAD  (perf script)
 *
 * and the payload is either the kernel's print format ("key=value ...")
 * or the sched_switch plugin's ("comm:pid [prio] S ==> comm:pid [prio]").
 * Lines are cut by hand (no regex, no allocation): find the "[CPU]" field,
 * the timestamp after it, the event name, then the few fields we need.
 * Comms may contain spaces and colons, so a comm ends where the next
 * "key=" starts, and a plugin "comm:pid" splits at its last colon.
 * Text keeps the precision it was printed with (usually microseconds).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/trace/reader.h"

#define PROBE_LINES	2000

struct text {
	bool perf_style;
	int32_t max_cpu;
	uint64_t lineno;
};

struct line {
	int32_t common_pid;
	int32_t cpu;
	uint64_t ts;
	const char *event;	/* without "sched:" */
	size_t event_len;
	const char *payload;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Unsigned decimal at s; *end past it. false if no digit. */
static bool parse_u64(const char *s, const char **end, uint64_t *v)
{
	uint64_t x = 0;
	const char *p = s;

	while (is_digit(*p) && p - s < 19)
		x = x * 10 + (uint64_t)(*p++ - '0');
	if (p == s)
		return false;
	*v = x;
	*end = p;
	return true;
}

static bool parse_i32(const char *s, const char **end, int32_t *v)
{
	bool neg = *s == '-';
	uint64_t x;

	if (!parse_u64(s + neg, end, &x) || x > 0x7fffffff)
		return false;
	*v = neg ? -(int32_t)x : (int32_t)x;
	return true;
}

/* The event header; false if the line is not an event line. */
static bool parse_header(char *s, struct line *l)
{
	char *b = s, *p;
	const char *e;
	uint64_t cpu, sec, frac;
	size_t digits;

	/* the first " [digits]" is the CPU field */
	for (;;) {
		b = strchr(b, '[');
		if (!b)
			return false;
		if (b > s && b[-1] == ' ' && parse_u64(b + 1, &e, &cpu) &&
		    *e == ']')
			break;
		b++;
	}
	/* the pid just before it, after '-' (trace-cmd) or ' ' (perf) */
	p = b - 1;
	while (p > s && *p == ' ')
		p--;
	if (!is_digit(*p))
		return false;
	while (p > s && is_digit(p[-1]))
		p--;
	if (!parse_i32(p, &e, &l->common_pid))
		return false;
	l->cpu = (int32_t)cpu;
	/* timestamp, possibly after a latency-flags column */
	p = strchr(b, ']') + 1;
	for (int tok = 0; tok < 3; tok++) {
		while (*p == ' ')
			p++;
		if (parse_u64(p, &e, &sec) && *e == '.') {
			const char *f = e + 1;

			if (!parse_u64(f, &e, &frac) || *e != ':')
				return false;
			digits = (size_t)(e - f);
			if (digits > 9)
				return false;
			for (size_t k = digits; k < 9; k++)
				frac *= 10;
			l->ts = sec * 1000000000ull + frac;
			p = (char *)e + 1;
			break;
		}
		if (tok == 2)
			return false;
		while (*p && *p != ' ')
			p++;
	}
	while (*p == ' ')
		p++;
	/* event name up to ':' */
	e = strchr(p, ':');
	if (!e || e == p)
		return false;
	if ((size_t)(e - p) == 5 && !memcmp(p, "sched", 5) && e[1] != ' ' &&
	    e[1] != '\0') {
		p = (char *)e + 1;	/* perf's "sched:EVENT:" */
		e = strchr(p, ':');
		if (!e)
			return false;
	}
	l->event = p;
	l->event_len = (size_t)(e - p);
	p = (char *)e + 1;
	while (*p == ' ')
		p++;
	l->payload = p;
	return true;
}

/*
 * Value of "key=" in a print-format payload: it ends at the last space
 * before the next '=' (so comms with spaces survive), or at a space.
 */
static const char *kv(const char *s, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	const char *p = s, *v, *eq, *end;

	for (;;) {
		p = strstr(p, key);
		if (!p)
			return NULL;
		if ((p == s || p[-1] == ' ') && p[kl] == '=')
			break;
		p += kl;
	}
	v = p + kl + 1;
	eq = strchr(v, '=');
	if (eq) {
		end = eq;
		while (end > v && *end != ' ')
			end--;
		/* a " ==> " arrow is not part of the value either */
		while (end > v && (end[-1] == ' ' || end[-1] == '>' ||
				   end[-1] == '='))
			end--;
	} else {
		end = v + strcspn(v, " ");
	}
	*len = (size_t)(end - v);
	return v;
}

static void copy_comm(char *dst, const char *s, size_t n)
{
	if (n > TRACE_COMM_LEN - 1)
		n = TRACE_COMM_LEN - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static bool kv_int(const char *s, const char *key, int32_t *v)
{
	const char *e, *p;
	size_t n;

	p = kv(s, key, &n);
	return p && parse_i32(p, &e, v);
}

static bool kv_u64(const char *s, const char *key, uint64_t *v)
{
	const char *e, *p;
	size_t n;

	p = kv(s, key, &n);
	return p && parse_u64(p, &e, v);
}

static bool kv_comm(const char *s, const char *key, char *out)
{
	size_t n;
	const char *p = kv(s, key, &n);

	if (!p)
		return false;
	copy_comm(out, p, n);
	return true;
}

/* Letters of prev_state -> TASK_* bits (plugin letters differ above t). */
static uint32_t state_bits(const char *s, size_t n, bool plugin)
{
	static const char raw[] = "SDTtXZPI", plug[] = "SDTtZXxW";
	const char *set = plugin ? plug : raw;
	uint32_t bits = 0;

	for (size_t i = 0; i < n; i++) {
		const char *c = s[i] ? strchr(set, s[i]) : NULL;

		if (c)
			bits |= 1u << (c - set);
	}
	return dec_prev_state(bits, 8);
}

/* Plugin "comm:pid [prio]" between s and end; false if malformed. */
static bool plugin_task(const char *s, const char *end, char *comm,
			int32_t *pid, int32_t *prio)
{
	const char *br = NULL, *colon = NULL, *e;

	for (const char *p = s; p < end; p++)
		if (*p == '[')
			br = p;
	if (!br)
		br = end;
	for (const char *p = s; p < br; p++)
		if (*p == ':')
			colon = p;
	if (!colon || !parse_i32(colon + 1, &e, pid))
		return false;
	copy_comm(comm, s, (size_t)(colon - s));
	*prio = 0;
	if (br < end)
		parse_i32(br + 1, &e, prio);
	return true;
}

static bool parse_switch(const char *p, struct sched_event *ev)
{
	const char *arrow = strstr(p, " ==> ");
	const char *st;
	size_t n;

	if (!arrow)
		return false;
	if (strstr(p, "prev_pid=")) {
		if (!kv_int(p, "prev_pid", &ev->pid) ||
		    !kv_int(arrow, "next_pid", &ev->pid2))
			return false;
		kv_comm(p, "prev_comm", ev->comm);
		kv_comm(arrow, "next_comm", ev->comm2);
		kv_int(p, "prev_prio", &ev->prio);
		kv_int(arrow, "next_prio", &ev->prio2);
		st = kv(p, "prev_state", &n);
		if (!st)
			return false;
		ev->prev_state = state_bits(st, n, false);
		return true;
	}
	/* plugin: "comm:pid [prio] STATE ==> comm:pid [prio]" */
	st = arrow;
	while (st > p && st[-1] != ' ')
		st--;
	ev->prev_state = state_bits(st, (size_t)(arrow - st), true);
	while (st > p && st[-1] == ' ')
		st--;
	return plugin_task(p, st, ev->comm, &ev->pid, &ev->prio) &&
	       plugin_task(arrow + 5, arrow + 5 + strlen(arrow + 5),
			   ev->comm2, &ev->pid2, &ev->prio2);
}

static bool parse_wake(const char *p, struct sched_event *ev)
{
	const char *cpu, *e;

	if (strstr(p, "pid=")) {
		if (!kv_int(p, "pid", &ev->pid))
			return false;
		kv_comm(p, "comm", ev->comm);
		kv_int(p, "prio", &ev->prio);
		kv_int(p, "target_cpu", &ev->cpu2);
		return true;
	}
	/* plugin: "comm:pid [prio] [success=1] CPU:003" */
	cpu = strstr(p, " CPU:");
	if (cpu)
		parse_i32(cpu + 5, &e, &ev->cpu2);
	return plugin_task(p, cpu ? cpu : p + strlen(p), ev->comm, &ev->pid,
			   &ev->prio);
}

/* Payload -> ev. 1: sched event; 0: other event; -1: malformed. */
static int parse_payload(const struct line *l, struct sched_event *ev)
{
	static const struct { const char *name; uint16_t type; } map[] = {
		{ "sched_switch", SEV_SWITCH },
		{ "sched_waking", SEV_WAKING },
		{ "sched_wakeup", SEV_WAKEUP },
		{ "sched_wakeup_new", SEV_WAKEUP_NEW },
		{ "sched_process_fork", SEV_FORK },
		{ "sched_process_exit", SEV_EXIT },
		{ "sched_process_exec", SEV_EXEC },
		{ "sched_migrate_task", SEV_MIGRATE },
		{ "sched_stat_runtime", SEV_RUNTIME },
	};
	const char *p = l->payload, *fn;
	size_t n;
	bool ok = false;

	ev->type = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].name) == l->event_len &&
		    !memcmp(map[i].name, l->event, l->event_len))
			ev->type = map[i].type;
	if (!ev->type)
		return 0;
	switch (ev->type) {
	case SEV_SWITCH:
		ok = parse_switch(p, ev);
		break;
	case SEV_WAKING:
	case SEV_WAKEUP:
	case SEV_WAKEUP_NEW:
		ok = parse_wake(p, ev);
		break;
	case SEV_FORK:
		ok = kv_int(p, "child_pid", &ev->pid) && kv_int(p, "pid", &ev->pid2);
		kv_comm(p, "child_comm", ev->comm);
		kv_comm(p, "comm", ev->comm2);
		break;
	case SEV_EXIT:
		ok = kv_int(p, "pid", &ev->pid);
		kv_comm(p, "comm", ev->comm);
		kv_int(p, "prio", &ev->prio);
		break;
	case SEV_EXEC:
		ok = kv_int(p, "pid", &ev->pid) && kv_int(p, "old_pid", &ev->pid2);
		fn = kv(p, "filename", &n);
		if (fn) {
			const char *slash = memrchr(fn, '/', n);

			if (slash) {
				n -= (size_t)(slash + 1 - fn);
				fn = slash + 1;
			}
			copy_comm(ev->comm, fn, n);
		}
		break;
	case SEV_MIGRATE:
		ok = kv_int(p, "pid", &ev->pid) && kv_int(p, "dest_cpu", &ev->cpu2);
		kv_int(p, "orig_cpu", &ev->cpu3);
		kv_comm(p, "comm", ev->comm);
		kv_int(p, "prio", &ev->prio);
		break;
	case SEV_RUNTIME:
		ok = kv_int(p, "pid", &ev->pid) && kv_u64(p, "runtime", &ev->runtime);
		kv_comm(p, "comm", ev->comm);
		break;
	}
	return ok ? 1 : -1;
}

/*
 * trace-cmd report marks dropped events with "CPU:N [LOST 123 EVENTS]",
 * or "[LOST EVENTS]" when the count is unknown (counted as one).
 */
static void lost_line(struct trace_reader *r, const char *s)
{
	const char *p = strstr(s, "[LOST ");
	const char *e;
	uint64_t n;

	if (!p)
		return;
	r->info.lost_events += parse_u64(p + 6, &e, &n) ? n : 1;
}

static int text_next(struct trace_reader *r, struct sched_event *ev)
{
	struct text *t = r->priv;
	struct line l;
	size_t len;
	char *s;
	int rc;

	for (;;) {
		s = tin_line(&r->in, &len);
		if (!s) {
			if (!r->in.eof)
				return rerr(r, "line %llu is longer than %u bytes",
					    (unsigned long long)t->lineno + 1,
					    TIN_BUF);
			if (r->in.io_error)
				return rerr(r, "read error (corrupt gzip stream?)");
			if (!r->info.cpus)
				r->info.cpus = (uint32_t)t->max_cpu + 1;
			return 0;
		}
		t->lineno++;
		if (memchr(s, '\0', len))
			return rerr(r, "line %llu: binary data in a text trace",
				    (unsigned long long)t->lineno);
		if (!parse_header(s, &l)) {
			if (strstr(s, "[LOST "))
				lost_line(r, s);
			else if (!strncmp(s, "cpus=", 5))
				r->info.cpus = (uint32_t)strtoul(s + 5, NULL, 10);
			else if (!strncmp(s, "# os release : ", 15))
				/* perf script --header carries perf's header */
				snprintf(r->info.release,
					 sizeof(r->info.release), "%.*s",
					 (int)strcspn(s + 15, " \t"), s + 15);
			continue;
		}
		memset(ev, 0, sizeof(*ev));
		rc = parse_payload(&l, ev);
		if (rc < 0)
			return rerr(r, "line %llu: cannot parse this %.*s event",
				    (unsigned long long)t->lineno,
				    (int)l.event_len, l.event);
		if (!rc)
			continue;
		ev->ts = l.ts;
		ev->cpu = l.cpu;
		ev->common_pid = l.common_pid;
		if (l.cpu > t->max_cpu)
			t->max_cpu = l.cpu;
		return 1;
	}
}

static void text_close(struct trace_reader *r)
{
	free(r->priv);
	r->priv = NULL;
}

static const struct reader_ops text_ops = {
	.next = text_next,
	.close = text_close,
};

int text_open(struct trace_reader *r)
{
	struct text *t = calloc(1, sizeof(*t));
	struct line l;
	size_t len;
	char *s;

	r->ops = &text_ops;
	r->priv = t;
	if (!t)
		return rerr(r, "out of memory");
	tin_seek(&r->in, 0);
	for (int i = 0; i < PROBE_LINES && (s = tin_line(&r->in, &len)); i++) {
		if (!parse_header(s, &l))
			continue;
		t->perf_style = l.event > s + 6 && !memcmp(l.event - 6, "sched:", 6);
		r->info.format = t->perf_style ? "perf-script" : "trace-cmd-report";
		tin_seek(&r->in, 0);
		return 0;
	}
	return rerr(r, "not a trace: text without trace-cmd report or "
		       "perf script event lines");
}
