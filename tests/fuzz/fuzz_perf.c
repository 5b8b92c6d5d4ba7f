// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the perf.data reader (header, attrs, feature sections,
 * embedded tracepoint formats, records and their ordering). The magic is
 * forced so every input reaches it; seed with tests/fixtures/perf-*.data.
 */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_with_magic(data, size, "PERFILE2", 8);
	return 0;
}
