// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a parameter file (paramfile.h). The lines are walked by the
 * registry's policy_param_next(), the walker scxlive's -p @FILE uses, so
 * one file means the same to both hosts; the items are copied after the
 * pointer array in one block, so the caller frees once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "sim/tune/paramfile.h"

#define PARAMFILE_MAX	(1 << 20)	/* a parameter file is a few lines */

char *paramfile_slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf;

	if (!f) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	buf = malloc(PARAMFILE_MAX + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	*len = fread(buf, 1, PARAMFILE_MAX + 1, f);
	if (ferror(f) || *len > PARAMFILE_MAX) {
		snprintf(err, errlen, ferror(f) ? "cannot read: %s" :
			 "longer than 1 MB: not a settings file",
			 strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[*len] = 0;
	if (memchr(buf, 0, *len)) {
		snprintf(err, errlen, "binary data: not a text file");
		free(buf);
		return NULL;
	}
	return buf;
}

char **paramfile_load(const char *path, size_t *n, char *err, size_t errlen)
{
	size_t len, items = 0, k = 0, pos = 0, m;
	char *buf = paramfile_slurp(path, &len, err, errlen), **out, *text;
	unsigned int line = 0;
	const char *item;

	if (!buf)
		return NULL;
	while (policy_param_next(buf, len, &pos, &line, &item))
		items++;
	/* the pointers, then every item NUL-ended: at most the file's size */
	out = malloc((items ? items : 1) * sizeof(*out) + len + 1);
	if (!out) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	text = (char *)(out + (items ? items : 1));
	pos = 0;
	line = 0;
	while ((m = policy_param_next(buf, len, &pos, &line, &item))) {
		const char *dot = memchr(item, '.', m), *eq = memchr(item, '=', m);

		if (!dot || !eq || dot > eq || dot == item) {
			snprintf(err, errlen, "line %u: '%.*s' is not "
				 "POLICY.KEY=VALUE", line, (int)(m < 60 ? m : 60),
				 item);
			free(out);
			free(buf);
			return NULL;
		}
		memcpy(text, item, m);
		text[m] = '\0';
		out[k++] = text;
		text += m + 1;
	}
	free(buf);
	*n = k;
	return out;
}
