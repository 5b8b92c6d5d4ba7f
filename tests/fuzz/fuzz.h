/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared body of the libFuzzer targets (tests/fuzz/fuzz_*.c): the readers
 * take a path, so each input goes into a memfd and is opened as
 * /proc/self/fd/N, then read to its end and through the recorded report -
 * what scxsim does with a trace. A target may rewrite the input first (force a magic, wrap
 * it in gzip) to steer the fuzzer into one reader.
 */
#ifndef SCX_TESTS_FUZZ_H
#define SCX_TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/report/recorded.h"
#include "sim/trace/trace.h"

static inline void fuzz_trace(const uint8_t *data, size_t size)
{
	char path[64], err[256];
	struct trace_reader *r;
	struct result *res = NULL;
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	r = trace_open(path, err, sizeof(err));
	if (r) {
		if (recorded_run(r, &res, err, sizeof(err)) == 0)
			result_free(res);
		trace_close(r);
	}
	close(fd);
}

/* The input with its first bytes replaced by magic (n bytes). */
static inline void fuzz_with_magic(const uint8_t *data, size_t size,
				   const char *magic, size_t n)
{
	static uint8_t buf[1 << 20];

	if (size > sizeof(buf))
		size = sizeof(buf);
	memcpy(buf, data, size);
	memcpy(buf, magic, size < n ? size : n);
	fuzz_trace(buf, size);
}

#endif /* SCX_TESTS_FUZZ_H */
