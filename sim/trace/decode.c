// SPDX-License-Identifier: GPL-2.0
/*
 * Raw tracepoint payload -> struct sched_event, for the binary readers
 * (perf.data and trace-cmd .dat both carry the kernel's own event formats,
 * which libtraceevent parses). Each event type's field handles are looked
 * up once, on its first record, and cached by event id; a record then costs
 * a few bounded loads at known offsets, no string formatting.
 *
 * Kernel differences handled here: comm fields that are __data_loc strings
 * instead of char[16]; prev_state's "preempted" bit (TASK_REPORT_MAX) whose
 * position depends on how many state letters the kernel's format lists -
 * counted from the format itself, as perf's evsel__taskstate does.
 */
#include <string.h>
#include <strings.h>

#include <event-parse.h>

#include "sim/trace/reader.h"

/* include/linux/trace_events.h: enum trace_flag_type (stable since 4.x) */
#define TRACE_FLAG_HARDIRQ	0x08
#define TRACE_FLAG_SOFTIRQ	0x10
#define TRACE_FLAG_NMI		0x40

/* TASK_DEAD-ish report bits: X (EXIT_DEAD) 0x10, Z (EXIT_ZOMBIE) 0x20 */
#define STATE_X_Z		0x30u

void dec_init(struct sched_decoder *d, struct tep_handle *tep)
{
	memset(d, 0, sizeof(*d));
	d->tep = tep;
	for (unsigned int i = 0; i < DEC_SLOTS; i++)
		d->fmt[i].id = -1;
}

uint32_t dec_prev_state(uint64_t raw, unsigned int nstates)
{
	uint32_t st;
	int bit;

	if (!raw)
		return SEV_STATE_RUNNING;
	bit = ffsll((long long)raw);
	if (!nstates || nstates > 16)
		nstates = 8;
	if ((unsigned int)bit > nstates)
		return SEV_STATE_RUNNING;	/* only "preempted" is set */
	st = (uint32_t)(raw & ((1u << nstates) - 1));
	if (st & STATE_X_Z)
		st |= SEV_STATE_DEAD;
	return st;
}

/* The number of letters in prev_state's __print_flags (perf's states). */
static unsigned int count_states(const struct tep_event *ev)
{
	unsigned int n = 0;

	/* prev_state & mask ? __print_flags(...) : "R": look in the ?: */
	for (struct tep_print_arg *a = ev->print_fmt.args; a; a = a->next) {
		struct tep_print_flag_sym *s;

		if (a->type == TEP_PRINT_OP && a->op.left &&
		    a->op.right && a->op.right->type == TEP_PRINT_OP &&
		    a->op.right->op.left &&
		    a->op.right->op.left->type == TEP_PRINT_FLAGS)
			a = a->op.right->op.left;
		if (a->type != TEP_PRINT_FLAGS)
			continue;
		for (s = a->flags.flags; s; s = s->next)
			n++;
		break;
	}
	return n ? n : 8;
}

static struct tep_format_field *field(struct tep_event *ev, const char *name)
{
	return tep_find_field(ev, name);
}

static enum sched_kind kind_of(const char *name)
{
	static const struct { const char *name; enum sched_kind kind; } map[] = {
		{ "sched_switch", SK_SWITCH },
		{ "sched_waking", SK_WAKING },
		{ "sched_wakeup", SK_WAKEUP },
		{ "sched_wakeup_new", SK_WAKEUP_NEW },
		{ "sched_process_fork", SK_FORK },
		{ "sched_process_exit", SK_EXIT },
		{ "sched_process_exec", SK_EXEC },
		{ "sched_migrate_task", SK_MIGRATE },
		{ "sched_stat_runtime", SK_RUNTIME },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(name, map[i].name))
			return map[i].kind;
	return SK_NONE;
}

/*
 * The fast path's plan: each present number field's offset, size and sign,
 * and the payload size that holds them all and the fixed-size strings.
 * A field the checked path would refuse for every record (negative
 * offset, no size) leaves need at INT32_MAX, so every record takes the
 * checked path and fails as it always did.
 */
static void plan(struct sched_fmt *f)
{
	const struct tep_format_field *nums[DV_N] = {
		[DV_FLAGS] = f->f_flags, [DV_COMMON_PID] = f->f_common_pid,
		[DV_PID] = f->f_pid, [DV_PID2] = f->f_pid2,
		[DV_PRIO] = f->f_prio, [DV_PRIO2] = f->f_prio2,
		[DV_CPU2] = f->f_cpu2, [DV_CPU3] = f->f_cpu3,
		[DV_STATE] = f->f_state, [DV_RUNTIME] = f->f_runtime,
	};
	const struct tep_format_field *strs[2] = { f->f_comm, f->f_comm2 };
	int64_t need = 0;

	f->nnum = 0;
	for (unsigned int i = 0; i < DV_N; i++) {
		const struct tep_format_field *x = nums[i];

		if (!x)
			continue;
		if (x->offset < 0 || x->size <= 0 || x->offset > UINT16_MAX)
			need = INT32_MAX;
		else if ((int64_t)x->offset + x->size > need)
			need = (int64_t)x->offset + x->size;
		f->num[f->nnum++] = (struct dec_num){
			.off = (uint16_t)(x->offset > 0 ? x->offset : 0),
			.size = (uint8_t)(x->size > 0 && x->size < 8 ? x->size : 8),
			.sign = !!(x->flags & TEP_FIELD_IS_SIGNED),
			.dst = (uint8_t)i,
		};
	}
	for (unsigned int i = 0; i < 2; i++) {
		const struct tep_format_field *x = strs[i];

		if (x && (int64_t)x->offset + x->size > need)
			need = (int64_t)x->offset + x->size;
	}
	f->need = need > INT32_MAX ? INT32_MAX : (int32_t)need;
	for (unsigned int i = 0; i < 2; i++) {
		const struct tep_format_field *x = strs[i];

		if (!x)
			f->comm_kind[i] = COMM_NONE;
		else if (!(x->flags & TEP_FIELD_IS_DYNAMIC) && x->offset >= 0 &&
			 x->size == TRACE_COMM_LEN && f->kind != SK_EXEC)
			f->comm_kind[i] = COMM_FIXED;
		else
			f->comm_kind[i] = COMM_GENERAL;
	}
	/* the 8-byte loads (see struct dec_num), when each one fits */
	f->loads = true;
	for (unsigned int i = 0; i < f->nnum; i++) {
		struct dec_num *n = &f->num[i];
		unsigned int sh = 64 - 8u * n->size;

		if (n->off + n->size >= 8) {
			n->base = (uint16_t)(n->off + n->size - 8);
			n->shl = 0;
		} else if (n->off + 8 <= need) {
			n->base = n->off;
			n->shl = (uint8_t)sh;
		} else {
			f->loads = false;
		}
		n->shr = (uint8_t)sh;
	}
}

static void resolve(struct sched_decoder *d, struct sched_fmt *f, int id)
{
	struct tep_event *ev = tep_find_event(d->tep, id);

	memset(f, 0, sizeof(*f));
	f->id = id;
	if (!ev || !ev->system || strcmp(ev->system, "sched"))
		return;
	f->kind = kind_of(ev->name);
	f->f_flags = tep_find_common_field(ev, "common_flags");
	f->f_common_pid = tep_find_common_field(ev, "common_pid");
	switch (f->kind) {
	case SK_SWITCH:
		f->f_pid = field(ev, "prev_pid");
		f->f_pid2 = field(ev, "next_pid");
		f->f_prio = field(ev, "prev_prio");
		f->f_prio2 = field(ev, "next_prio");
		f->f_state = field(ev, "prev_state");
		f->f_comm = field(ev, "prev_comm");
		f->f_comm2 = field(ev, "next_comm");
		f->nstates = count_states(ev);
		break;
	case SK_WAKING:
	case SK_WAKEUP:
	case SK_WAKEUP_NEW:
		f->f_pid = field(ev, "pid");
		f->f_prio = field(ev, "prio");
		f->f_comm = field(ev, "comm");
		f->f_cpu2 = field(ev, "target_cpu");
		break;
	case SK_FORK:
		f->f_pid = field(ev, "child_pid");
		f->f_pid2 = field(ev, "parent_pid");
		f->f_comm = field(ev, "child_comm");
		f->f_comm2 = field(ev, "parent_comm");
		break;
	case SK_EXIT:
		f->f_pid = field(ev, "pid");
		f->f_prio = field(ev, "prio");
		f->f_comm = field(ev, "comm");
		break;
	case SK_EXEC:
		f->f_pid = field(ev, "pid");
		f->f_pid2 = field(ev, "old_pid");
		f->f_comm = field(ev, "filename");
		break;
	case SK_MIGRATE:
		f->f_pid = field(ev, "pid");
		f->f_prio = field(ev, "prio");
		f->f_comm = field(ev, "comm");
		f->f_cpu2 = field(ev, "dest_cpu");
		f->f_cpu3 = field(ev, "orig_cpu");
		break;
	case SK_RUNTIME:
		f->f_pid = field(ev, "pid");
		f->f_comm = field(ev, "comm");
		f->f_runtime = field(ev, "runtime");
		break;
	case SK_NONE:
		break;
	}
	/* a format without its subject's pid is not one we can use */
	if (!f->f_pid || (f->kind == SK_SWITCH && !f->f_pid2))
		f->kind = SK_NONE;
	plan(f);
}

static struct sched_fmt *lookup(struct sched_decoder *d, int id)
{
	unsigned int h = ((unsigned int)id * 2654435761u) >> 24;

	for (unsigned int i = 0; i < DEC_SLOTS; i++) {
		struct sched_fmt *f = &d->fmt[(h + i) % DEC_SLOTS];

		if (f->id == id)
			return f;
		if (f->id == -1) {
			resolve(d, f, id);
			d->nfmt++;
			return f;
		}
	}
	return NULL;	/* more than DEC_SLOTS event types: skip the rest */
}

/* Little-endian number of field f, or 0 if absent. false if out of bounds. */
static bool num(const struct tep_format_field *f, const unsigned char *data,
		int size, uint64_t *out)
{
	uint64_t v = 0;

	*out = 0;
	if (!f)
		return true;
	if (f->offset < 0 || f->size <= 0 || f->offset + f->size > size)
		return false;
	switch (f->size) {
	case 1:
		v = data[f->offset];
		if (f->flags & TEP_FIELD_IS_SIGNED)
			v = (uint64_t)(int64_t)(int8_t)v;
		break;
	case 2: {
		uint16_t x;

		memcpy(&x, data + f->offset, 2);
		v = (f->flags & TEP_FIELD_IS_SIGNED) ?
		    (uint64_t)(int64_t)(int16_t)x : x;
		break;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, data + f->offset, 4);
		v = (f->flags & TEP_FIELD_IS_SIGNED) ?
		    (uint64_t)(int64_t)(int32_t)x : x;
		break;
	}
	default:
		memcpy(&v, data + f->offset, f->size < 8 ? (size_t)f->size : 8);
		break;
	}
	*out = v;
	return true;
}

/*
 * The usual comm, a char[TASK_COMM_LEN] in place: one fixed copy, cut at
 * the end. The string is the same as the one str()'s general path makes;
 * what follows its NUL is not (it was never set), and every reader stops
 * at the NUL.
 */
static inline void fixed_comm(char *out, const void *s)
{
	memcpy(out, s, TRACE_COMM_LEN);
	out[TRACE_COMM_LEN - 1] = '\0';
}

/* A char[] or __data_loc char[] field; exec's filename keeps its basename. */
static bool str(const struct tep_format_field *f, const unsigned char *data,
		int size, char *out, bool basename)
{
	const char *s;
	int len;

	out[0] = '\0';
	if (!f)
		return true;
	if (f->offset < 0 || f->offset + f->size > size)
		return false;
	if (f->flags & TEP_FIELD_IS_DYNAMIC) {
		uint32_t loc;
		int off;

		if (f->size < 4)
			return false;
		memcpy(&loc, data + f->offset, 4);
		off = (int)(loc & 0xffff);
		len = (int)(loc >> 16);
		if (f->flags & TEP_FIELD_IS_RELATIVE)
			off += f->offset + f->size;
		if (off < 0 || len < 0 || off + len > size)
			return false;
		s = (const char *)data + off;
	} else {
		s = (const char *)data + f->offset;
		len = f->size;
		if (len == TRACE_COMM_LEN && !basename) {
			fixed_comm(out, s);
			return true;
		}
	}
	len = (int)strnlen(s, (size_t)len);
	if (basename) {
		const char *slash = memrchr(s, '/', (size_t)len);

		if (slash) {
			len -= (int)(slash + 1 - s);
			s = slash + 1;
		}
	}
	if (len > TRACE_COMM_LEN - 1)
		len = TRACE_COMM_LEN - 1;
	memcpy(out, s, (size_t)len);
	out[len] = '\0';
	return true;
}

/* A number the plan says is in bounds, as num() would read it. */
static inline uint64_t planned(const struct dec_num *n, const unsigned char *p)
{
	uint64_t v = 0;

	switch (n->size) {
	case 1:
		return n->sign ? (uint64_t)(int64_t)(int8_t)p[n->off] : p[n->off];
	case 2: {
		uint16_t x;

		memcpy(&x, p + n->off, 2);
		return n->sign ? (uint64_t)(int64_t)(int16_t)x : x;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, p + n->off, 4);
		return n->sign ? (uint64_t)(int64_t)(int32_t)x : x;
	}
	default:
		memcpy(&v, p + n->off, n->size);
		return v;
	}
}

int dec_record(struct sched_decoder *d, const void *data, int size,
	       struct sched_event *ev)
{
	static const uint16_t types[] = {
		[SK_SWITCH] = SEV_SWITCH, [SK_WAKING] = SEV_WAKING,
		[SK_WAKEUP] = SEV_WAKEUP, [SK_WAKEUP_NEW] = SEV_WAKEUP_NEW,
		[SK_FORK] = SEV_FORK, [SK_EXIT] = SEV_EXIT,
		[SK_EXEC] = SEV_EXEC, [SK_MIGRATE] = SEV_MIGRATE,
		[SK_RUNTIME] = SEV_RUNTIME,
	};
	const unsigned char *p = data;
	struct sched_fmt *f;
	uint64_t val[DV_N] = { 0 }, flags;
	uint16_t id;
	bool ok = true;

	if (size < 8)
		return -1;
	memcpy(&id, p, 2);
	f = lookup(d, id);
	if (!f || f->kind == SK_NONE)
		return 0;
	ev->type = types[f->kind];
	if (size >= f->need && f->loads) {
		/* every number in bounds: one load and two shifts each */
		for (unsigned int i = 0; i < f->nnum; i++) {
			const struct dec_num *n = &f->num[i];
			uint64_t x;

			memcpy(&x, p + n->base, 8);
			x <<= n->shl;
			val[n->dst] = n->sign ? (uint64_t)((int64_t)x >> n->shr) :
				      x >> n->shr;
		}
	} else if (size >= f->need) {
		/* every number in bounds: the plan's loads, no checks */
		for (unsigned int i = 0; i < f->nnum; i++)
			val[f->num[i].dst] = planned(&f->num[i], p);
	} else {
		ok &= num(f->f_flags, p, size, &val[DV_FLAGS]);
		ok &= num(f->f_common_pid, p, size, &val[DV_COMMON_PID]);
		ok &= num(f->f_pid, p, size, &val[DV_PID]);
		ok &= num(f->f_pid2, p, size, &val[DV_PID2]);
		ok &= num(f->f_prio, p, size, &val[DV_PRIO]);
		ok &= num(f->f_prio2, p, size, &val[DV_PRIO2]);
		ok &= num(f->f_cpu2, p, size, &val[DV_CPU2]);
		ok &= num(f->f_cpu3, p, size, &val[DV_CPU3]);
		ok &= num(f->f_state, p, size, &val[DV_STATE]);
		ok &= num(f->f_runtime, p, size, &val[DV_RUNTIME]);
	}
	flags = val[DV_FLAGS];
	ev->ctx = (uint16_t)(((flags & TRACE_FLAG_HARDIRQ) ? SEV_CTX_HARDIRQ : 0) |
			     ((flags & TRACE_FLAG_SOFTIRQ) ? SEV_CTX_SOFTIRQ : 0) |
			     ((flags & TRACE_FLAG_NMI) ? SEV_CTX_NMI : 0));
	ev->common_pid = (int32_t)val[DV_COMMON_PID];
	ev->pid = (int32_t)val[DV_PID];
	ev->pid2 = (int32_t)val[DV_PID2];
	ev->prio = (int32_t)val[DV_PRIO];
	ev->prio2 = (int32_t)val[DV_PRIO2];
	ev->cpu2 = (int32_t)val[DV_CPU2];
	ev->cpu3 = (int32_t)val[DV_CPU3];
	ev->prev_state = f->kind == SK_SWITCH ?
			 dec_prev_state(val[DV_STATE], f->nstates) : 0;
	ev->runtime = val[DV_RUNTIME];
	if (size >= f->need) {
		/* the fixed comms are within need: str()'s copy, unchecked */
		char *out[2] = { ev->comm, ev->comm2 };
		const struct tep_format_field *x[2] = { f->f_comm, f->f_comm2 };

		for (unsigned int i = 0; i < 2; i++) {
			switch (f->comm_kind[i]) {
			case COMM_NONE:
				out[i][0] = '\0';
				break;
			case COMM_FIXED:
				fixed_comm(out[i], p + x[i]->offset);
				break;
			default:
				ok &= str(x[i], p, size, out[i], f->kind == SK_EXEC);
			}
		}
		return ok ? 1 : -1;
	}
	ok &= str(f->f_comm, p, size, ev->comm, f->kind == SK_EXEC);
	ok &= str(f->f_comm2, p, size, ev->comm2, false);
	return ok ? 1 : -1;
}
