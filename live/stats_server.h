/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stats socket: scx_stats' protocol (live/stats_json.h) on a UNIX
 * stream socket, served from the daemon's own thread without ever
 * blocking it. The daemon calls stats_server_poll() now and then (a few
 * times a second is plenty: clients ask about once a second); it accepts,
 * reads and answers whatever is waiting and returns at once. A client that
 * does not read its replies, or sends an overlong line, is dropped rather
 * than waited for: the daemon is every task's critical path.
 */
#ifndef SCX_LIVE_STATS_SERVER_H
#define SCX_LIVE_STATS_SERVER_H

#include <stddef.h>

#include "live/stats_json.h"

#define STATS_MAX_CLIENTS	8
#define STATS_LINE_MAX		4096	/* a longer request drops the client */

struct stats_server;

/*
 * Listen on PATH, making its folders and replacing a stale socket there
 * (never another kind of file). NULL with a reason in err on failure.
 */
struct stats_server *stats_server_open(const char *path, char *err, size_t errlen);

/* Serve what is waiting, without blocking. Returns the replies sent. */
int stats_server_poll(struct stats_server *srv, stats_read_fn read, void *ctx);

/* Close every connection and remove the socket (if still ours). */
void stats_server_close(struct stats_server *srv);

#endif /* SCX_LIVE_STATS_SERVER_H */
