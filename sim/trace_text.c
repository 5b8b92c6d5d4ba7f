// SPDX-License-Identifier: GPL-2.0
/*
 * Text traces (`trace-cmd report`, `perf script`): the parser lands in the
 * next commit; until then such files get a clear error, not a crash.
 */
#include "sim/trace_priv.h"

int text_open(struct trace_reader *r)
{
	return rerr(r, "text traces are not supported yet");
}
