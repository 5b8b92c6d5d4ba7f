// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: format detection and the text reader (trace-cmd
 * report, perf script). Inputs go in as they are; seed with the saved
 * report and script text.
 */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_trace(data, size);
	return 0;
}
