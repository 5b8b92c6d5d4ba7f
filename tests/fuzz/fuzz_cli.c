// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: scxsim's command line. The input is up to 16 arguments
 * separated by NUL or newline; the small v7 fixture trace goes last, so
 * most inputs reach a replay with the options they spell. An argument with
 * a '/' is dropped and the process works in a private folder: the fuzzer
 * may name output files, but only there.
 */
#include <limits.h>

#include "tests/fuzz/fuzz.h"

#define MAX_ARGS	16
#define TRACE		"tests/fixtures/dat/small-v7.dat"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char trace[PATH_MAX];
	char buf[4096], *argv[MAX_ARGS + 3] = { "scxsim" };
	int argc = 1;

	if (!trace[0]) {
		/* Found from where make runs it; then only the folder moves. */
		if (!realpath(TRACE, trace) && !realpath("../../" TRACE, trace))
			snprintf(trace, sizeof(trace), "%s", TRACE);
		if (chdir(fuzz_outdir()))
			return 0;
	}
	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf, *end = buf + size; p < end && argc <= MAX_ARGS;) {
		size_t n = strcspn(p, "\n");

		p[n] = '\0';
		if (!strchr(p, '/'))
			argv[argc++] = p;
		p += n + 1;
	}
	argv[argc++] = trace;
	argv[argc] = NULL;
	fuzz_scxsim(argv);
	return 0;
}
