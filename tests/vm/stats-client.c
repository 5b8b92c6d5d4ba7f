// SPDX-License-Identifier: GPL-2.0
/*
 * stats-client: the smallest scx_stats client, for the VM test of
 * scxlive's stats socket (busybox's nc has no UNIX sockets).
 *
 *   stats-client [-s PATH] [-w SECS] REQUEST...
 *
 * Connects to PATH (default /var/run/scx/root/stats, where scx_stats'
 * own client looks), sends each REQUEST as one line on the same
 * connection and prints each reply line as it came, byte for byte. It
 * knows nothing of the figures: the host reads the replies with jq.
 * Exit 0 when every request got a reply line within SECS (default 5),
 * 1 otherwise.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static char buf[65536];
static size_t have;

/* Print one reply line; 0, or -1 on timeout, EOF or error. */
static int reply(int fd, int secs)
{
	for (;;) {
		char *nl = memchr(buf, '\n', have);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - buf) + 1;

			fwrite(buf, 1, len, stdout);
			memmove(buf, buf + len, have - len);
			have -= len;
			return 0;
		}
		if (have == sizeof(buf) || poll(&p, 1, secs * 1000) != 1)
			return -1;
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n <= 0)
			return -1;
		have += (size_t)n;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = "/var/run/scx/root/stats";
	int c, fd, secs = 5;

	while ((c = getopt(argc, argv, "s:w:")) != -1) {
		if (c == 's')
			path = optarg;
		else if (c == 'w')
			secs = atoi(optarg);
		else
			return 2;
	}
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "stats-client: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (int i = optind; i < argc; i++) {
		size_t len = strlen(argv[i]);

		if (write(fd, argv[i], len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
		    reply(fd, secs)) {
			fprintf(stderr, "stats-client: no reply to '%s'\n", argv[i]);
			return 1;
		}
	}
	fflush(stdout);
	return 0;
}
