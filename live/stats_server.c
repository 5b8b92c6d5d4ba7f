// SPDX-License-Identifier: GPL-2.0
/*
 * The stats socket's I/O (see live/stats_server.h). Everything is
 * non-blocking and driven by one epoll set polled with a zero timeout, so
 * a poll costs one epoll_wait when nobody asks. Requests are lines; a
 * reply (under STATS_REPLY_MAX bytes) fits any UNIX socket's send buffer,
 * so a send that does not take it whole means a client that stopped
 * reading, and it is dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "live/stats_server.h"

#define LISTENER	UINT32_MAX	/* epoll data of the listening socket */

struct stats_client {
	int fd;				/* -1: free */
	size_t len;
	char buf[STATS_LINE_MAX];
};

struct stats_server {
	int listen_fd, epfd;
	ino_t ino;			/* of our socket, to remove only ours */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct stats_client clients[STATS_MAX_CLIENTS];
	char reply[STATS_REPLY_MAX];
};

/* mkdir -p of PATH's folder. */
static int make_parents(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

static int fail(char *err, size_t errlen, const char *what, const char *path)
{
	snprintf(err, errlen, "stats socket %s: %s: %s", path, what, strerror(errno));
	return -1;
}

static int bind_listener(struct stats_server *srv, const char *path,
			 char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "stats socket %s: path too long", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (make_parents(path))
		return fail(err, errlen, "cannot make its folder", path);
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "stats socket %s: exists and is not "
				 "a socket", path);
			return -1;
		}
		if (unlink(path))
			return fail(err, errlen, "cannot replace it", path);
	}
	srv->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0)
		return fail(err, errlen, "socket", path);
	if (bind(srv->listen_fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fail(err, errlen, "bind", path);
	if (listen(srv->listen_fd, STATS_MAX_CLIENTS))
		return fail(err, errlen, "listen", path);
	if (!stat(path, &st))
		srv->ino = st.st_ino;
	snprintf(srv->path, sizeof(srv->path), "%s", path);
	return 0;
}

struct stats_server *stats_server_open(const char *path, char *err, size_t errlen)
{
	struct stats_server *srv = calloc(1, sizeof(*srv));
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = LISTENER };

	if (!srv) {
		snprintf(err, errlen, "stats socket %s: out of memory", path);
		return NULL;
	}
	srv->listen_fd = srv->epfd = -1;
	for (int i = 0; i < STATS_MAX_CLIENTS; i++)
		srv->clients[i].fd = -1;
	if (bind_listener(srv, path, err, errlen))
		goto fail;
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (srv->epfd < 0 || epoll_ctl(srv->epfd, EPOLL_CTL_ADD, srv->listen_fd, &ev)) {
		fail(err, errlen, "epoll", path);
		goto fail;
	}
	return srv;
fail:
	stats_server_close(srv);
	return NULL;
}

static void drop(struct stats_server *srv, struct stats_client *c)
{
	epoll_ctl(srv->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->len = 0;
}

/* Answer each whole line in c's buffer; -1 if c must be dropped. */
static int answer_lines(struct stats_server *srv, struct stats_client *c,
			stats_read_fn read, void *ctx, int *sent)
{
	char *nl;

	while ((nl = memchr(c->buf, '\n', c->len))) {
		size_t line = (size_t)(nl - c->buf), n;

		n = stats_answer(c->buf, line, read, ctx, srv->reply, sizeof(srv->reply));
		if (!n || send(c->fd, srv->reply, n, MSG_NOSIGNAL | MSG_DONTWAIT) !=
			  (ssize_t)n)
			return -1;
		(*sent)++;
		memmove(c->buf, nl + 1, c->len - line - 1);
		c->len -= line + 1;
	}
	return c->len == sizeof(c->buf) ? -1 : 0;	/* overlong line */
}

static void serve_client(struct stats_server *srv, struct stats_client *c,
			 stats_read_fn read, void *ctx, int *sent)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len,
				 MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			drop(srv, c);
			return;
		}
		c->len += (size_t)n;
		if (answer_lines(srv, c, read, ctx, sent)) {
			drop(srv, c);
			return;
		}
	}
}

/* New clients; what they sent before we looked is answered at once. */
static void accept_all(struct stats_server *srv, stats_read_fn read, void *ctx,
		       int *sent)
{
	int fd;

	while ((fd = accept4(srv->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct epoll_event ev = { .events = EPOLLIN };
		int i;

		for (i = 0; i < STATS_MAX_CLIENTS && srv->clients[i].fd >= 0; i++)
			;
		ev.data.u32 = (uint32_t)i;
		if (i == STATS_MAX_CLIENTS ||
		    epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);	/* full: the client sees EOF */
			continue;
		}
		srv->clients[i].fd = fd;
		srv->clients[i].len = 0;
		serve_client(srv, &srv->clients[i], read, ctx, sent);
	}
}

int stats_server_poll(struct stats_server *srv, stats_read_fn read, void *ctx)
{
	struct epoll_event evs[STATS_MAX_CLIENTS + 1];
	int n, sent = 0;

	if (!srv)
		return 0;
	n = epoll_wait(srv->epfd, evs, STATS_MAX_CLIENTS + 1, 0);
	for (int i = 0; i < n; i++) {
		uint32_t id = evs[i].data.u32;

		if (id == LISTENER)
			accept_all(srv, read, ctx, &sent);
		else if (id < STATS_MAX_CLIENTS && srv->clients[id].fd >= 0)
			serve_client(srv, &srv->clients[id], read, ctx, &sent);
	}
	return sent;
}

void stats_server_close(struct stats_server *srv)
{
	struct stat st;

	if (!srv)
		return;
	for (int i = 0; i < STATS_MAX_CLIENTS; i++)
		if (srv->clients[i].fd >= 0)
			close(srv->clients[i].fd);
	if (srv->epfd >= 0)
		close(srv->epfd);
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	if (srv->path[0] && !stat(srv->path, &st) && st.st_ino == srv->ino)
		unlink(srv->path);
	free(srv);
}
