// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a parameter file (paramfile.h). The whole file is read first and
 * its lines are cut in place, so the strings handed back share one block
 * with the pointer array and the caller frees once.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

char **paramfile_load(const char *path, size_t *n, char *err, size_t errlen)
{
	size_t len, lines = 1, k = 0, lineno = 0;
	char *buf = paramfile_slurp(path, &len, err, errlen), **out, *text;

	if (!buf)
		return NULL;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	out = malloc(lines * sizeof(*out) + len + 1);
	if (!out) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	text = (char *)(out + lines);
	memcpy(text, buf, len + 1);
	free(buf);
	for (char *l = text, *nl; l; l = nl) {
		char *s, *dot, *eq;

		nl = strchr(l, '\n');
		if (nl)
			*nl++ = 0;
		lineno++;
		s = trim(l);
		if (!*s || *s == '#')
			continue;
		dot = strchr(s, '.');
		eq = strchr(s, '=');
		if (!dot || !eq || dot > eq || dot == s) {
			snprintf(err, errlen, "line %zu: '%.60s' is not "
				 "POLICY.KEY=VALUE", lineno, s);
			free(out);
			return NULL;
		}
		out[k++] = s;
	}
	*n = k;
	return out;
}
