// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol Buffers wire format (see pbuf.h). Buffers grow by doubling, so
 * building a message costs amortised copies of its own bytes only.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/trace/pbuf.h"

void pb_free(struct pb *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static bool reserve(struct pb *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->oom)
		return false;
	if (b->len + n <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void pb_raw(struct pb *b, const void *src, size_t n)
{
	if (!n || !reserve(b, n))
		return;
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

void pb_varint(struct pb *b, uint64_t v)
{
	if (!reserve(b, 10))
		return;
	while (v >= 0x80) {
		b->p[b->len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->p[b->len++] = (uint8_t)v;
}

void pb_tag(struct pb *b, uint32_t field, enum pb_wire wt)
{
	pb_varint(b, (uint64_t)field << 3 | (uint64_t)wt);
}

void pb_u64(struct pb *b, uint32_t field, uint64_t v)
{
	pb_tag(b, field, PB_VARINT);
	pb_varint(b, v);
}

void pb_i64(struct pb *b, uint32_t field, int64_t v)
{
	pb_u64(b, field, (uint64_t)v);
}

void pb_bytes(struct pb *b, uint32_t field, const void *src, size_t n)
{
	pb_tag(b, field, PB_LEN);
	pb_varint(b, n);
	pb_raw(b, src, n);
}

void pb_str(struct pb *b, uint32_t field, const char *s)
{
	pb_bytes(b, field, s, strlen(s));
}

void pb_msg(struct pb *b, uint32_t field, const struct pb *sub)
{
	if (sub->oom) {
		b->oom = true;
		return;
	}
	pb_bytes(b, field, sub->p, sub->len);
}

size_t pb_get_varint(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	uint64_t x = 0;

	for (size_t i = 0; i < 10 && p + i < end; i++) {
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			/* the tenth byte may only carry the top bit */
			if (i == 9 && p[i] > 1)
				return 0;
			*v = x;
			return i + 1;
		}
	}
	return 0;
}

int pbr_next(struct pbr *r, struct pb_field *f)
{
	uint64_t tag, n;
	size_t k;

	if (r->p >= r->end)
		return 0;
	k = pb_get_varint(r->p, r->end, &tag);
	if (!k || tag >> 3 == 0 || tag >> 3 > UINT32_MAX)
		return -1;
	r->p += k;
	f->num = (uint32_t)(tag >> 3);
	f->wt = (enum pb_wire)(tag & 7);
	/* every member set, whatever the wire type: an empty sub if not LEN */
	f->v = 0;
	f->sub.p = f->sub.end = r->p;
	switch (f->wt) {
	case PB_VARINT:
		k = pb_get_varint(r->p, r->end, &f->v);
		if (!k)
			return -1;
		r->p += k;
		return 1;
	case PB_I64:
	case PB_I32:
		n = f->wt == PB_I64 ? 8 : 4;
		if ((size_t)(r->end - r->p) < n)
			return -1;
		for (uint64_t i = 0; i < n; i++)
			f->v |= (uint64_t)r->p[i] << (8 * i);
		r->p += n;
		return 1;
	case PB_LEN:
		k = pb_get_varint(r->p, r->end, &n);
		if (!k || n > (uint64_t)(r->end - r->p - k))
			return -1;
		r->p += k;
		f->sub.p = r->p;
		f->sub.end = r->p + n;
		r->p += n;
		return 1;
	default:
		return -1;	/* groups (3, 4) and reserved types */
	}
}
