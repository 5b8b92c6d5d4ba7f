// SPDX-License-Identifier: GPL-2.0
/*
 * A small recursive-descent JSON reader for the budget checker (see json.h).
 * The checker reads only what scxsim itself wrote, but a truncated or
 * garbled file must still end in a message, never a crash, so every
 * function checks the end of input and depth is bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/policy/json.h"

#define JSON_MAX_DEPTH 64

struct parser {
	const char *s, *start;
	char *err;
	size_t errlen;
	int depth;
};

static struct json *fail(struct parser *p, const char *what)
{
	if (!p->err[0])
		snprintf(p->err, p->errlen, "%s at byte %zu", what,
			 (size_t)(p->s - p->start));
	return NULL;
}

static void skip_ws(struct parser *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static struct json *node(struct parser *p, enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j)
		return fail(p, "out of memory");
	j->type = type;
	return j;
}

/* Append byte c to the growing string out[n], cap bytes allocated. */
static int put(char **out, size_t *n, size_t *cap, char c)
{
	if (*n + 2 > *cap) {
		char *o = realloc(*out, *cap * 2);

		if (!o)
			return -1;
		*out = o;
		*cap *= 2;
	}
	(*out)[(*n)++] = c;
	return 0;
}

/* The code point of a \uXXXX escape as UTF-8 (a BMP code point). */
static int put_utf8(char **out, size_t *n, size_t *cap, unsigned int v)
{
	if (v < 0x80)
		return put(out, n, cap, (char)v);
	if (v < 0x800)
		return put(out, n, cap, (char)(0xc0 | v >> 6)) ||
		       put(out, n, cap, (char)(0x80 | (v & 0x3f)));
	return put(out, n, cap, (char)(0xe0 | v >> 12)) ||
	       put(out, n, cap, (char)(0x80 | (v >> 6 & 0x3f))) ||
	       put(out, n, cap, (char)(0x80 | (v & 0x3f)));
}

static int hex4(struct parser *p, unsigned int *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++, p->s++) {
		char h = *p->s;

		*v <<= 4;
		if (h >= '0' && h <= '9')
			*v |= (unsigned int)(h - '0');
		else if (h >= 'a' && h <= 'f')
			*v |= (unsigned int)(h - 'a' + 10);
		else if (h >= 'A' && h <= 'F')
			*v |= (unsigned int)(h - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static char *parse_str(struct parser *p)
{
	size_t cap = 16, n = 0;
	char *out = malloc(cap);
	const char *why = NULL;

	if (!out)
		return (char *)fail(p, "out of memory");
	p->s++;			/* opening quote */
	while (*p->s != '"' && !why) {
		char c = *p->s++;
		unsigned int v;

		if (c == '\0' || (unsigned char)c < 0x20) {
			why = "unterminated string";
			break;
		}
		if (c != '\\') {
			if (put(&out, &n, &cap, c))
				why = "out of memory";
			continue;
		}
		c = *p->s++;
		switch (c) {
		case '"': case '\\': case '/': break;
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case 'r': c = '\r'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'u':
			/* Standard JSON: a code point, written back as UTF-8. */
			if (hex4(p, &v) || (v >= 0xd800 && v <= 0xdfff))
				why = "bad \\u escape";
			else if (put_utf8(&out, &n, &cap, v))
				why = "out of memory";
			continue;
		default:
			why = "bad escape";
			continue;
		}
		if (put(&out, &n, &cap, c))
			why = "out of memory";
	}
	if (why) {
		free(out);
		return (char *)fail(p, why);
	}
	p->s++;
	out[n] = '\0';
	return out;
}

static struct json *parse_value(struct parser *p);

/* Elements of an array or members of an object, up to `close`. */
static struct json *parse_list(struct parser *p, struct json *j, char close)
{
	struct json **tail = &j->child;

	p->s++;
	skip_ws(p);
	if (*p->s == close) {
		p->s++;
		return j;
	}
	for (;;) {
		char *key = NULL;
		struct json *v;

		skip_ws(p);
		if (close == '}') {
			if (*p->s != '"' || !(key = parse_str(p)))
				goto bad;
			skip_ws(p);
			if (*p->s++ != ':') {
				free(key);
				fail(p, "expected ':'");
				goto bad;
			}
		}
		v = parse_value(p);
		if (!v) {
			free(key);
			goto bad;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		skip_ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s == close) {
			p->s++;
			return j;
		}
		fail(p, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
		goto bad;
	}
bad:
	fail(p, close == '}' ? "bad object" : "bad array");
	json_free(j);
	return NULL;
}

static struct json *parse_value(struct parser *p)
{
	struct json *j;
	char *end;

	skip_ws(p);
	if (++p->depth > JSON_MAX_DEPTH)
		return fail(p, "nested too deeply");
	switch (*p->s) {
	case '{':
	case '[':
		j = node(p, *p->s == '{' ? JSON_OBJ : JSON_ARR);
		if (j)
			j = parse_list(p, j, *p->s == '{' ? '}' : ']');
		break;
	case '"':
		j = node(p, JSON_STR);
		if (j && !(j->str = parse_str(p))) {
			free(j);
			j = NULL;
		}
		break;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "null", 4)) {
			j = node(p, *p->s == 'n' ? JSON_NULL : JSON_BOOL);
			if (j)
				j->num = *p->s == 't';
			p->s += 4;
		} else if (!strncmp(p->s, "false", 5)) {
			j = node(p, JSON_BOOL);
			p->s += 5;
		} else {
			j = fail(p, "unknown literal");
		}
		break;
	default:
		j = node(p, JSON_NUM);
		if (!j)
			break;
		j->num = strtod(p->s, &end);
		if (end == p->s) {
			free(j);
			j = fail(p, "expected a value");
		}
		p->s = end;
	}
	p->depth--;
	return j;
}

struct json *json_parse(const char *text, char *err, size_t errlen)
{
	struct parser p = { .s = text, .start = text, .err = err, .errlen = errlen };
	struct json *j;

	err[0] = '\0';
	j = parse_value(&p);
	if (!j)
		return NULL;
	skip_ws(&p);
	if (*p.s) {
		json_free(j);
		return fail(&p, "trailing text");
	}
	return j;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;

		json_free(j->child);
		free(j->str);
		free(j->key);
		free(j);
		j = next;
	}
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJ)
		return NULL;
	for (const struct json *m = obj->child; m; m = m->next)
		if (m->key && !strcmp(m->key, key))
			return m;
	return NULL;
}
