/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared body of the libFuzzer targets (tests/fuzz/fuzz_*.c). Each input is
 * a trace and goes through all of scxsim, as a user's file would: the
 * reader, the recorded report, the model, a replay under every policy, the
 * metrics and every report (table, JSON, CSV, SVG, the Perfetto timelines). The readers take a
 * path, so the input goes into a memfd opened as /proc/self/fd/N. A target
 * may rewrite the input first (force a magic, wrap it in gzip) to steer the
 * fuzzer into one reader.
 *
 * scxsim_main() is called, not exec'd: a leak, an overflow or a hang on any
 * path a hostile trace reaches is the fuzzer's to find. Outputs go to a
 * private folder in /dev/shm; run with -close_fd_mask=3 so the report text
 * and the one-line errors do not flood the log (libFuzzer still reports).
 */
#ifndef SCX_TESTS_FUZZ_H
#define SCX_TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/cli.h"

/* A folder of this process's own for the files scxsim writes. */
static inline const char *fuzz_outdir(void)
{
	static char dir[64];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/dev/shm/scxsim-fuzz.XXXXXX");
		if (!mkdtemp(dir))
			snprintf(dir, sizeof(dir), "/tmp");
	}
	return dir;
}

/* Run scxsim_main on argv (NULL-ended); its exit status is not a verdict. */
static inline void fuzz_scxsim(char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	(void)scxsim_main(argc, argv, NULL);
}

/* The whole pipeline on one trace, as `scxsim` with every output. */
static inline void fuzz_trace(const uint8_t *data, size_t size)
{
	char path[64], json[96], csv[96], svg[96], dir[96];
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	snprintf(json, sizeof(json), "%s/out.json", fuzz_outdir());
	snprintf(csv, sizeof(csv), "%s/out.csv", fuzz_outdir());
	snprintf(svg, sizeof(svg), "%s/out.svg", fuzz_outdir());
	snprintf(dir, sizeof(dir), "%s", fuzz_outdir());
	fuzz_scxsim((char *[]){ "scxsim", "-P", "eevdf,lowlat,fifo,vruntime",
				"--json", json, "--csv", csv, "--plot", svg,
				"--timeline", dir, path, NULL });
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
