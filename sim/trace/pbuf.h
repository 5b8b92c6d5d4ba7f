/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol Buffers wire format, the little of it a Perfetto trace needs:
 * varints, tags, and length-delimited fields (strings and nested messages).
 *
 * Writing: a message is built bottom-up in a growable buffer; a nested
 * message is built in its own buffer first and appended whole, so every
 * length is known when it is written (no back-patching). An allocation
 * failure sticks in the buffer (oom) and later calls do nothing, so callers
 * check once at the end.
 *
 * Reading: a cursor over one message's bytes, field by field, every length
 * checked against what is left, so a corrupt file is an error, never an
 * overread.
 */
#ifndef SCX_SIM_TRACE_PBUF_H
#define SCX_SIM_TRACE_PBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pb_wire {
	PB_VARINT = 0,
	PB_I64 = 1,
	PB_LEN = 2,
	PB_I32 = 5,
};

struct pb {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

void pb_free(struct pb *b);
static inline void pb_reset(struct pb *b)
{
	b->len = 0;
}
void pb_raw(struct pb *b, const void *src, size_t n);
void pb_varint(struct pb *b, uint64_t v);
void pb_tag(struct pb *b, uint32_t field, enum pb_wire wt);
void pb_u64(struct pb *b, uint32_t field, uint64_t v);
/* int32/int64 fields: negative values are sign-extended to ten bytes. */
void pb_i64(struct pb *b, uint32_t field, int64_t v);
void pb_bytes(struct pb *b, uint32_t field, const void *src, size_t n);
void pb_str(struct pb *b, uint32_t field, const char *s);
/* Append the message in sub as field `field` of b. */
void pb_msg(struct pb *b, uint32_t field, const struct pb *sub);

/* A read cursor over one message. */
struct pbr {
	const uint8_t *p, *end;
};

struct pb_field {
	uint32_t num;
	enum pb_wire wt;
	uint64_t v;		/* PB_VARINT, PB_I64, PB_I32 */
	struct pbr sub;		/* PB_LEN: the field's bytes */
};

/* 1: *f is the next field; 0: end of the message; -1: malformed. */
int pbr_next(struct pbr *r, struct pb_field *f);
/* A varint at *p (at most end): bytes used, 0 if malformed or cut. */
size_t pb_get_varint(const uint8_t *p, const uint8_t *end, uint64_t *v);

#endif /* SCX_SIM_TRACE_PBUF_H */
