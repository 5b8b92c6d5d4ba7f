/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough JSON to read `scxsim --json`: parse a whole document into a
 * tree, then look values up by key and walk arrays. Numbers are kept as
 * double, which holds every nanosecond figure scxsim writes (< 2^53) exactly.
 * No escapes beyond \" \\ \/ \n \t \uXXXX (ASCII), which is all scxsim emits.
 */
#ifndef SCX_TESTS_POLICY_JSON_H
#define SCX_TESTS_POLICY_JSON_H

#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_ARR, JSON_OBJ };

struct json {
	enum json_type type;
	double num;		/* JSON_NUM, JSON_BOOL (0/1) */
	char *str;		/* JSON_STR; the key of an object member */
	char *key;
	struct json *child;	/* first element / member */
	struct json *next;	/* next sibling */
};

/* Parse text; NULL with a message (naming the byte offset) in err. */
struct json *json_parse(const char *text, char *err, size_t errlen);
void json_free(struct json *j);
/* Member `key` of an object, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);

#endif
