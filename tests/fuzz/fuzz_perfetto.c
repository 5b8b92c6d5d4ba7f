// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: format detection and the Perfetto protobuf reader.
 * Inputs go in as they are; seed with timelines scxsim wrote (the trace's
 * own and a replay's, of the small v7 fixture).
 */
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_trace(data, size);
	return 0;
}
