// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON side of the stats socket (see live/stats_json.h): a small
 * strict reader for the request object and writers for the replies.
 *
 * The reader checks the whole line is one JSON object (nesting bounded, so
 * a hostile client cannot recurse the daemon's stack away) and keeps only
 * "req" and "args"."target"; other members are skipped, as serde does.
 * Strings the daemon writes back are escaped byte-exactly: a byte outside
 * printable ASCII becomes '?', so a reply is valid JSON whatever came in.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "live/stats_json.h"

#define JSON_MAX_DEPTH	16
#define WORD_MAX	64	/* "req" and "target" longer than this are no name */

struct reader {
	const char *p, *end;
	int depth;
};

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r' ||
				 *r->p == '\n'))
		r->p++;
}

static bool eat(struct reader *r, char c)
{
	skip_ws(r);
	if (r->p < r->end && *r->p == c) {
		r->p++;
		return true;
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A string at r->p. Its ASCII value goes to out (NUL-ended) when it fits
 * and is plain ASCII; otherwise out is "" and *named false. -1 if malformed.
 */
static int read_string(struct reader *r, char *out, size_t outlen, bool *named)
{
	size_t n = 0;

	*named = true;
	if (!eat(r, '"'))
		return -1;
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p++;

		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (r->p >= r->end)
				return -1;
			c = (unsigned char)*r->p++;
			if (c == 'u') {
				int v = 0;

				for (int i = 0; i < 4; i++) {
					int h = r->p < r->end ? hexval(*r->p++) : -1;

					if (h < 0)
						return -1;
					v = v * 16 + h;
				}
				c = v > 0 && v < 0x80 ? (unsigned char)v : 0x80;
			} else if (strchr("\"\\/", c)) {
				/* itself */
			} else if (strchr("bfnrt", c)) {
				c = c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' :
				    c == 'r' ? '\r' : '\t';
			} else {
				return -1;
			}
		}
		if (c >= 0x80 || n + 1 >= outlen)
			*named = false;
		else
			out[n++] = (char)c;
	}
	if (r->p >= r->end)
		return -1;
	r->p++;
	out[*named ? n : 0] = '\0';
	return 0;
}

static int skip_value(struct reader *r);

/* An object's members; on_member sees each key with r at its value. */
static int read_object(struct reader *r, int (*on_member)(struct reader *r,
			const char *key, void *ctx), void *ctx)
{
	char key[WORD_MAX];
	bool named;

	if (!eat(r, '{') || ++r->depth > JSON_MAX_DEPTH)
		return -1;
	if (eat(r, '}'))
		goto done;
	do {
		skip_ws(r);
		if (read_string(r, key, sizeof(key), &named) || !eat(r, ':'))
			return -1;
		if ((named && on_member) ? on_member(r, key, ctx) : skip_value(r))
			return -1;
	} while (eat(r, ','));
	if (!eat(r, '}'))
		return -1;
done:
	r->depth--;
	return 0;
}

static int skip_array(struct reader *r)
{
	if (!eat(r, '[') || ++r->depth > JSON_MAX_DEPTH)
		return -1;
	if (!eat(r, ']')) {
		do {
			if (skip_value(r))
				return -1;
		} while (eat(r, ','));
		if (!eat(r, ']'))
			return -1;
	}
	r->depth--;
	return 0;
}

static int skip_scalar(struct reader *r)
{
	static const char *const words[] = { "true", "false", "null" };
	const char *start = r->p;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(r->end - r->p) >= n && !memcmp(r->p, words[i], n)) {
			r->p += n;
			return 0;
		}
	}
	/* A number: -?digits[.digits][(e|E)[+-]digits], leniently. */
	if (r->p < r->end && *r->p == '-')
		r->p++;
	while (r->p < r->end && strchr("0123456789.eE+-", *r->p))
		r->p++;
	return r->p > start && r->p[-1] >= '0' && r->p[-1] <= '9' ? 0 : -1;
}

static int skip_value(struct reader *r)
{
	char dummy[2];
	bool named;

	skip_ws(r);
	if (r->p >= r->end)
		return -1;
	switch (*r->p) {
	case '{':
		return read_object(r, NULL, NULL);
	case '[':
		return skip_array(r);
	case '"':
		return read_string(r, dummy, sizeof(dummy), &named);
	default:
		return skip_scalar(r);
	}
}

struct request {
	char req[WORD_MAX];
	char target[WORD_MAX];
	bool has_req, has_target;
};

/* A string member into buf; a value of another type is skipped. */
static int string_member(struct reader *r, char *buf, bool *has)
{
	bool named;

	skip_ws(r);
	if (r->p < r->end && *r->p != '"')
		return skip_value(r);
	if (read_string(r, buf, WORD_MAX, &named))
		return -1;
	*has = true;
	return 0;
}

static int on_arg(struct reader *r, const char *key, void *ctx)
{
	struct request *q = ctx;

	if (!strcmp(key, "target"))
		return string_member(r, q->target, &q->has_target);
	return skip_value(r);
}

static int on_top(struct reader *r, const char *key, void *ctx)
{
	struct request *q = ctx;

	if (!strcmp(key, "req"))
		return string_member(r, q->req, &q->has_req);
	if (!strcmp(key, "args")) {
		skip_ws(r);
		if (r->p < r->end && *r->p == '{')
			return read_object(r, on_arg, q);
	}
	return skip_value(r);
}

/* ---------------------------------------------------------------- writing */

struct writer {
	char *buf;
	size_t len, cap;
	bool full;
};

static void put(struct writer *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->cap - w->len)
		w->full = true;
	else
		w->len += (size_t)n;
}

static void put_str(struct writer *w, const char *s)
{
	put(w, "\"");
	for (; *s && !w->full; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			put(w, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			put(w, "?");
		else
			put(w, "%c", c);
	}
	put(w, "\"");
}

static void put_error(struct writer *w, const char *what, const char *name)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "%s%s%s%s", what, name ? " \"" : "",
		 name ? name : "", name ? "\"" : "");
	put(w, "{\"errno\":%d,\"args\":{\"resp\":", EINVAL);
	put_str(w, msg);
	put(w, "}}");
}

static void put_stats(struct writer *w, const struct live_stats_snap *snap)
{
	put(w, "{\"errno\":0,\"args\":{\"resp\":{\"policy\":");
	put_str(w, snap->policy ? snap->policy : "");
	for (int i = 0; i < LIVE_NR_STATS; i++)
		put(w, ",\"%s\":%llu", live_stat_fields[i].json,
		    (unsigned long long)snap->v[i]);
	put(w, "}}}");
}

static void put_meta(struct writer *w)
{
	put(w, "{\"errno\":0,\"args\":{\"resp\":{\"" STATS_TOP_NAME "\":{\"name\":\""
	    STATS_TOP_NAME "\",\"top\":\"true\",\"desc\":\"scxlive: a sched_ext "
	    "scheduler whose decisions a user-space policy takes; counters "
	    "count from attach\",\"fields\":{\"policy\":{\"datum\":\"string\","
	    "\"desc\":\"the policy that runs\"}");
	for (int i = 0; i < LIVE_NR_STATS; i++) {
		put(w, ",\"%s\":{\"datum\":\"u64\",\"desc\":", live_stat_fields[i].json);
		put_str(w, live_stat_fields[i].desc);
		put(w, "}");
	}
	put(w, "}}}}}");
}

size_t stats_answer(const char *line, size_t len, stats_read_fn read, void *ctx,
		    char *out, size_t outlen)
{
	struct reader r = { .p = line, .end = line + len };
	struct writer w = { .buf = out, .cap = outlen };
	struct request q = { .has_req = false };
	struct live_stats_snap snap;

	if (!outlen)
		return 0;
	if (read_object(&r, on_top, &q) || (skip_ws(&r), r.p != r.end))
		put_error(&w, "bad request: not one JSON object", NULL);
	else if (!q.has_req)
		put_error(&w, "bad request: no \"req\"", NULL);
	else if (!strcmp(q.req, "stats_meta"))
		put_meta(&w);
	else if (strcmp(q.req, "stats"))
		put_error(&w, "unknown command", q.req);
	else if (q.has_target && strcmp(q.target, "top"))
		put_error(&w, "unknown stat target", q.target);
	else if (read(ctx, &snap))
		put_error(&w, "the figures cannot be read now", NULL);
	else
		put_stats(&w, &snap);
	put(&w, "\n");
	return w.full ? 0 : w.len;
}
