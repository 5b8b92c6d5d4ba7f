// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the gzip path. The input is gzip-compressed here, so
 * the fuzzer explores what readers do when their random reads (perf.data
 * seeks to its feature sections) and line reads go through zlib, and the
 * first byte picks the magic so all three readers are reached.
 */
#include <stdlib.h>
#include <zlib.h>

#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const magic[] = { "PERFILE2", "\027\010\104tracing", "" };
	uint8_t *plain, *z;
	uLongf zn;
	z_stream s;
	size_t m;

	if (!size)
		return 0;
	m = data[0] % 3;
	plain = malloc(size + 10);
	zn = compressBound(size + 10) + 64;
	z = malloc(zn);
	if (!plain || !z)
		goto out;
	memcpy(plain, data + 1, size - 1);
	memcpy(plain, magic[m], strlen(magic[m]) < size - 1 ? strlen(magic[m]) : size - 1);
	memset(&s, 0, sizeof(s));
	if (deflateInit2(&s, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		goto out;
	s.next_in = plain;
	s.avail_in = (uInt)(size - 1);
	s.next_out = z;
	s.avail_out = (uInt)zn;
	deflate(&s, Z_FINISH);
	zn = s.total_out;
	deflateEnd(&s);
	fuzz_trace(z, zn);
out:
	free(plain);
	free(z);
	return 0;
}
