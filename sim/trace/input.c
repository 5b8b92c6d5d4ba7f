// SPDX-License-Identifier: GPL-2.0
/*
 * The byte source of every reader: one buffered interface over a plain
 * file or a gzip stream, chosen by the content's magic (1f 8b), never by
 * the file name. Readers mostly stream forward; perf.data also needs a few
 * random reads (header, attrs, feature sections at the end), which for
 * gzip cost a re-seek of the stream (zlib re-inflates from the start when
 * going backwards) - a handful per file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/trace/reader.h"

int tin_open(struct tin *t, const char *path, char *err, size_t errlen)
{
	unsigned char magic[2];
	struct stat st;
	ssize_t n;

	memset(t, 0, sizeof(*t));
	t->path = path;
	t->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (t->fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(t->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "is a directory, not a trace");
		goto fail;
	}
	t->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : UINT64_MAX;
	t->buf = malloc(TIN_BUF + 1);
	if (!t->buf) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	n = pread(t->fd, magic, sizeof(magic), 0);
	if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		int fd = dup(t->fd);

		t->gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
		if (!t->gz) {
			if (fd >= 0)
				close(fd);
			snprintf(err, errlen, "cannot open gzip stream");
			goto fail;
		}
		gzbuffer(t->gz, 1u << 17);
		t->size = UINT64_MAX;
	}
	return 0;
fail:
	tin_close(t);
	return -1;
}

void tin_close(struct tin *t)
{
	if (t->gz)
		gzclose(t->gz);
	if (t->fd >= 0)
		close(t->fd);
	free(t->buf);
	t->gz = NULL;
	t->fd = -1;
	t->buf = NULL;
}

/* Read up to n bytes at the stream's current position (gzip) or at off. */
static size_t raw_read(struct tin *t, uint64_t off, void *dst, size_t n)
{
	size_t done = 0;

	if (t->gz) {
		z_off_t cur = gztell(t->gz);

		if (cur < 0 || (uint64_t)cur != off) {
			if (gzseek(t->gz, (z_off_t)off, SEEK_SET) < 0) {
				gzclearerr(t->gz);
				return 0;
			}
		}
		while (done < n) {
			int k = gzread(t->gz, (char *)dst + done,
				       (unsigned int)(n - done));
			int zerr;

			if (k <= 0) {
				gzerror(t->gz, &zerr);
				/* Z_BUF_ERROR here: the stream was cut short */
				if (k < 0 || zerr != Z_OK)
					t->io_error = true;
				gzclearerr(t->gz);
				break;
			}
			done += (size_t)k;
		}
		return done;
	}
	while (done < n) {
		ssize_t k = pread(t->fd, (char *)dst + done, n - done,
				  (off_t)(off + done));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k < 0)
				t->io_error = true;
			break;
		}
		done += (size_t)k;
	}
	return done;
}

size_t tin_read_at(struct tin *t, uint64_t off, void *dst, size_t n)
{
	size_t got = raw_read(t, off, dst, n);

	/* the sequential buffer no longer matches the gzip position */
	if (t->gz) {
		uint64_t seq = tin_tell(t);

		t->off = seq;
		t->pos = t->len = 0;
	}
	return got;
}

void tin_seek(struct tin *t, uint64_t off)
{
	t->off = off;
	t->pos = t->len = 0;
	t->eof = false;
}

/* Keep the unread tail, fill the rest of the buffer. */
static void refill(struct tin *t)
{
	size_t keep = t->len - t->pos, got;

	if (t->eof)
		return;
	memmove(t->buf, t->buf + t->pos, keep);
	t->off += t->pos;
	t->pos = 0;
	t->len = keep;
	got = raw_read(t, t->off + keep, t->buf + keep, TIN_BUF - keep);
	if (!got)
		t->eof = true;
	t->len += got;
}

const unsigned char *tin_get_slow(struct tin *t, size_t n)
{
	const unsigned char *p;

	if (n > TIN_BUF / 2)
		return NULL;
	while (t->len - t->pos < n && !t->eof)
		refill(t);
	if (t->len - t->pos < n)
		return NULL;
	p = t->buf + t->pos;
	t->pos += n;
	return p;
}

char *tin_line(struct tin *t, size_t *len)
{
	size_t scanned = 0;

	for (;;) {
		char *start = (char *)t->buf + t->pos;
		size_t avail = t->len - t->pos;
		char *nl = memchr(start + scanned, '\n', avail - scanned);

		if (nl) {
			*nl = '\0';
			*len = (size_t)(nl - start);
			t->pos += *len + 1;
			return start;
		}
		scanned = avail;
		if (t->eof || avail >= TIN_BUF) {
			if (!avail || avail >= TIN_BUF)
				return NULL;
			/* last line without a newline */
			start[avail] = '\0';
			*len = avail;
			t->pos = t->len;
			return start;
		}
		refill(t);
	}
}
