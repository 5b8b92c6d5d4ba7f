// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the trace-cmd .dat reader (our v6/v7 header checks,
 * then libtracecmd). The magic is forced; seed with tests/fixtures/dat.
 */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_with_magic(data, size, "\027\010\104tracing", 10);
	return 0;
}
