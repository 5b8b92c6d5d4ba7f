/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the trace readers: the byte source they share (a plain file or a
 * gzip stream behind one buffered interface), the decoder from a raw
 * tracepoint payload to struct sched_event (libtraceevent formats, field
 * handles looked up once per event type), and the reader vtable trace.c
 * dispatches to after detecting the format.
 */
#ifndef SCX_SIM_TRACE_READER_H
#define SCX_SIM_TRACE_READER_H

#include <stdio.h>
#include <zlib.h>

#include "sim/trace/trace.h"

struct tep_handle;
struct tep_format_field;

/* ------------------------------------------------------------ input */
#define TIN_BUF		(1u << 18)

struct tin {
	const char *path;
	int fd;
	gzFile gz;		/* non-NULL: content is gzip */
	uint64_t size;		/* plain files only; UINT64_MAX if unknown */
	unsigned char *buf;
	size_t pos, len;	/* unread bytes are buf[pos..len) */
	uint64_t off;		/* file offset of buf[0] */
	bool eof;
	bool io_error;
};

int tin_open(struct tin *t, const char *path, char *err, size_t errlen);
void tin_close(struct tin *t);
/* Random access (gzip: by re-seeking the stream). Returns bytes read. */
size_t tin_read_at(struct tin *t, uint64_t off, void *dst, size_t n);
/* Sequential reads start at off. */
void tin_seek(struct tin *t, uint64_t off);
/* tin_get() when the buffer holds fewer than n bytes: refill, then take. */
const unsigned char *tin_get_slow(struct tin *t, size_t n);
/*
 * n contiguous bytes (n <= TIN_BUF / 2), consumed; NULL at end of data.
 * Inline: the binary readers take two or more pieces per record, and the
 * buffer almost always holds them.
 */
static inline const unsigned char *tin_get(struct tin *t, size_t n)
{
	const unsigned char *p;

	if (n > TIN_BUF / 2 || t->len - t->pos < n)
		return tin_get_slow(t, n);
	p = t->buf + t->pos;
	t->pos += n;
	return p;
}
/* Next line without its '\n' (NUL-terminated in place); NULL at end. */
char *tin_line(struct tin *t, size_t *len);
/* Offset of the next unread byte. */
static inline uint64_t tin_tell(const struct tin *t)
{
	return t->off + t->pos;
}

/* ------------------------------------------------------------ decode */
enum sched_kind {
	SK_NONE = 0,
	SK_SWITCH, SK_WAKING, SK_WAKEUP, SK_WAKEUP_NEW, SK_FORK, SK_EXIT,
	SK_EXEC, SK_MIGRATE, SK_RUNTIME,
};

/* The numbers dec_record takes from a payload, in the order it stores them. */
enum dec_value {
	DV_FLAGS, DV_COMMON_PID, DV_PID, DV_PID2, DV_PRIO, DV_PRIO2,
	DV_CPU2, DV_CPU3, DV_STATE, DV_RUNTIME, DV_N
};

/*
 * Where one number lies in the payload: resolved from its field once. The
 * fast path reads it with one 8-byte load at base and two shifts: one
 * that ends at the field (base = off + size - 8, shl 0) or, for a field
 * in the first 8 bytes, one that starts at it (base = off, shl = shr);
 * either stays inside a payload of the plan's need bytes.
 */
struct dec_num {
	uint16_t off;
	uint8_t size;
	uint8_t sign;
	uint8_t dst;		/* enum dec_value */
	uint8_t shl, shr;
	uint16_t base;
};

/* Field handles of one event type, resolved once. */
struct sched_fmt {
	int id;
	enum sched_kind kind;
	struct tep_format_field *f_flags, *f_common_pid;
	struct tep_format_field *f_pid, *f_pid2, *f_prio, *f_prio2;
	struct tep_format_field *f_cpu2, *f_cpu3, *f_state;
	struct tep_format_field *f_comm, *f_comm2, *f_runtime;
	unsigned int nstates;	/* prev_state letters before "preempted" */
	/*
	 * The numbers' plan: a payload of at least need bytes holds every
	 * one of them, read with no further check (need is INT32_MAX when a
	 * format's field cannot be read at all: the checked path then says
	 * so for each record).
	 */
	struct dec_num num[DV_N];
	uint8_t nnum;
	bool loads;		/* every num has its 8-byte load */
	/*
	 * comm and comm2 on the fast path: COMM_NONE (no such field),
	 * COMM_FIXED (a char[16] in place, within need: one 16-byte copy)
	 * or COMM_GENERAL (str() decides).
	 */
	uint8_t comm_kind[2];
	int32_t need;
};

enum { COMM_NONE, COMM_FIXED, COMM_GENERAL };

#define DEC_SLOTS	256

struct sched_decoder {
	struct tep_handle *tep;
	struct sched_fmt fmt[DEC_SLOTS];	/* open addressing by id */
	unsigned int nfmt;
};

void dec_init(struct sched_decoder *d, struct tep_handle *tep);
/*
 * Fill ev from a raw tracepoint payload (ev->ts and ev->cpu are the
 * caller's). Returns 1 for a sched event, 0 for a record to skip, -1 if the
 * payload is malformed (too short for its format).
 */
int dec_record(struct sched_decoder *d, const void *data, int size,
	       struct sched_event *ev);
/* Normalise a raw prev_state (see sim/trace.h) given the format's letters. */
uint32_t dec_prev_state(uint64_t raw, unsigned int nstates);

/* ------------------------------------------------------------ readers */
struct reader_ops {
	int (*next)(struct trace_reader *r, struct sched_event *ev);
	void (*close)(struct trace_reader *r);
};

struct trace_reader {
	struct trace_info info;
	const struct reader_ops *ops;
	struct tin in;
	char *path;
	char err[256];
	bool failed;
	void *priv;
};

/* Each returns 0 or -1 with r->err set; r->in is open at offset 0. */
int perf_open(struct trace_reader *r);
int dat_open(struct trace_reader *r, const unsigned char *head, size_t n);
int text_open(struct trace_reader *r);
int perfetto_open(struct trace_reader *r);
/* The first bytes look like a Perfetto protobuf trace. */
bool perfetto_probe(const unsigned char *head, size_t n);

/* printf into r->err; returns -1 so readers can `return rerr(...)`. */
int rerr(struct trace_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Run try(arg) in a child process, for library calls that crash on some
 * corrupt input (libtracecmd's open, libtraceevent's format parser): a
 * crash there costs a fork, not scxsim. 0: it returned 0 (or no child
 * could be made: the real call decides); -1: it returned non-zero; -2: the
 * child died of a signal.
 */
int reader_probe(int (*try)(void *arg), void *arg);

#endif /* SCX_SIM_TRACE_READER_H */
