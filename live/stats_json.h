/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scx_stats' wire protocol (sched-ext/scx, rust/scx_stats): one JSON
 * object a line each way.
 *
 *   -> {"req":"stats","args":{"target":"top"}}      (args optional)
 *   <- {"errno":0,"args":{"resp":{ ...the figures... }}}
 *   -> {"req":"stats_meta"}
 *   <- {"errno":0,"args":{"resp":{"Metrics":{"name":"Metrics","top":"true",
 *        "desc":...,"fields":{"nr_user_dispatches":{"datum":"u64",
 *        "desc":...},...}}}}}
 *
 * Anything else gets errno EINVAL and a message string as resp, as the
 * crate's server answers. Pure: text in, text out, no I/O.
 */
#ifndef SCX_LIVE_STATS_JSON_H
#define SCX_LIVE_STATS_JSON_H

#include <stddef.h>

#include "live/stats.h"

#define STATS_TOP_NAME		"Metrics"	/* the struct "top" names */
#define STATS_REPLY_MAX		8192		/* the longest reply line */

/* Fills *snap with the figures now; 0, or -1 when they cannot be read. */
typedef int (*stats_read_fn)(void *ctx, struct live_stats_snap *snap);

/*
 * Answer one request line (len bytes, without its '\n'). Writes the reply
 * line, '\n'-ended, to out and returns its length; 0 if out is too small.
 * read is called only for a "stats" request.
 */
size_t stats_answer(const char *line, size_t len, stats_read_fn read, void *ctx,
		    char *out, size_t outlen);

#endif /* SCX_LIVE_STATS_JSON_H */
