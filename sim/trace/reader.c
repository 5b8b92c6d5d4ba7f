// SPDX-License-Identifier: GPL-2.0
/*
 * What every reader shares below trace.c: the one way to fail, a message
 * in r->err. Kept apart so trace.c (which opens the readers) stands above
 * them and no reader calls back up into it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "sim/trace/reader.h"

int rerr(struct trace_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -1;
}
