// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input through the readers: each case must end in one clean error
 * line from trace_open or trace_next - no crash (Check forks every test,
 * so a crash fails it), no hang (timeout), and never a successful but
 * partial result. The damaged files are made here from the good fixtures
 * (cut at several offsets, header fields patched to absurd values), plus
 * every input the fuzzers once crashed on (tests/fixtures/bad/), which
 * must also go through all of scxsim (every policy) to a result or exit 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <check.h>

#include "sim/report/recorded.h"
#include "sim/trace/trace.h"
#include "tests/sim_run.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

#define FX		"tests/fixtures/"
#define PERF_REC	FX "perf-sched-record.data"
#define DAT6		FX "dat/small-v6.dat"
#define DAT7		FX "dat/small-v7.dat"

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long size;

	ck_assert_msg(f != NULL, "%s is missing", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*n = (size_t)size;
	return buf;
}

static void spit(char *path, const void *data, size_t n, bool gzip)
{
	int fd;

	strcpy(path, "/tmp/scx-bad-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	if (gzip) {
		gzFile gz = gzdopen(fd, "wb6");

		ck_assert_ptr_nonnull(gz);
		if (n)
			ck_assert_int_eq(gzwrite(gz, data, (unsigned int)n), (int)n);
		gzclose(gz);
		return;
	}
	ck_assert_int_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
}

/*
 * Read path to the end: returns the error text (static) or NULL if it was
 * read successfully. A failing read must also fail recorded_run.
 */
static const char *read_all(const char *path)
{
	static char err[256];
	struct trace_reader *r = trace_open(path, err, sizeof(err));
	struct sched_event ev;
	struct result *res;
	int rc;

	if (!r) {
		ck_assert_msg(err[0] && !strchr(err, '\n'), "empty or multi-line error");
		return err;
	}
	while ((rc = trace_next(r, &ev)) > 0)
		;
	if (rc < 0) {
		snprintf(err, sizeof(err), "%s", trace_error(r));
		trace_close(r);
		/* and through the recorded report: no partial result */
		r = trace_open(path, err + 128, 128);
		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(recorded_run(r, &res, err + 128, 128), -1);
		ck_assert_ptr_null(res);
		trace_close(r);
		ck_assert_msg(err[0] && !strchr(err, '\n'), "empty or multi-line error");
		return err;
	}
	trace_close(r);
	return NULL;
}

static void expect_error(const char *path, const char *needle)
{
	const char *e = read_all(path);

	ck_assert_msg(e != NULL, "%s was accepted", path);
	ck_assert_msg(!needle || strstr(e, needle), "error '%s' lacks '%s'", e, needle);
}

START_TEST(test_empty_and_magic)
{
	static const unsigned char junk[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0xff };
	char path[32];

	spit(path, "", 0, false);
	expect_error(path, "empty file");
	unlink(path);
	spit(path, "", 0, true);
	expect_error(path, "empty");
	unlink(path);
	spit(path, junk, sizeof(junk), false);
	expect_error(path, "not a trace");
	unlink(path);
	spit(path, "PERFFILE", 8, false);
	expect_error(path, "version 1");
	unlink(path);
	expect_error("tests", "directory");
	expect_error("/nonexistent/trace.dat", "cannot open");
}
END_TEST

START_TEST(test_text_not_a_trace)
{
	static const char prose[] = "This is a README.\nIt has [brackets] and: colons.\n";
	static const char no_sched[] =
		"cpus=1\n"
		"  bash-1 [000]  5.000001: irq_handler_entry: irq=1 name=timer\n"
		"  bash-1 [000]  5.000002: irq_handler_exit: irq=1 ret=handled\n";
	static const char broken[] =
		"  bash-1 [000]  5.000001: sched_switch: prev_comm=bash\n";
	char path[32];

	spit(path, prose, sizeof(prose) - 1, false);
	expect_error(path, "not a trace");
	unlink(path);
	spit(path, no_sched, sizeof(no_sched) - 1, false);
	expect_error(path, "no scheduler events");
	unlink(path);
	spit(path, no_sched, sizeof(no_sched) - 1, true);
	expect_error(path, "no scheduler events");
	unlink(path);
	spit(path, broken, sizeof(broken) - 1, false);
	expect_error(path, "line 1");
	unlink(path);
}
END_TEST

/* The file cut at each offset; gzip: its gzip stream cut short instead. */
static void cut_at(const unsigned char *d, size_t n, const size_t *offs,
		   size_t noffs, bool gzip)
{
	uLongf zn = compressBound(n) + 64;
	unsigned char *z = NULL;
	char path[32];

	if (gzip) {
		char zpath[32];
		FILE *f;

		z = malloc(zn);
		ck_assert_ptr_nonnull(z);
		spit(zpath, d, n, true);
		f = fopen(zpath, "rb");
		ck_assert_ptr_nonnull(f);
		zn = fread(z, 1, zn, f);
		fclose(f);
		unlink(zpath);
	}
	for (size_t i = 0; i < noffs; i++) {
		size_t k = offs[i] < n ? offs[i] : n - 1;

		if (gzip)
			spit(path, z, zn * (i + 1) / (noffs + 1), false);
		else
			spit(path, d, k, false);
		expect_error(path, NULL);
		unlink(path);
	}
	free(z);
}

START_TEST(test_truncated_perf)
{
	size_t n;
	unsigned char *d = slurp(PERF_REC, &n);
	size_t offs[] = { 1, 8, 16, 60, 103, 104, 400, 4096, n / 3, n / 2,
			  n - 5000, n - 100, n - 1 };

	cut_at(d, n, offs, sizeof(offs) / sizeof(offs[0]), false);
	cut_at(d, n, offs, 6, true);
	free(d);
}
END_TEST

START_TEST(test_truncated_dat)
{
	const char *files[] = { DAT6, DAT7 };

	for (int f = 0; f < 2; f++) {
		size_t n;
		unsigned char *d = slurp(files[f], &n);
		/*
		 * Not n - 1 for v7: its last zstd chunk can lose a few tail
		 * bytes (page padding, checksum) and libtracecmd still reads
		 * every event; v6's CPU table catches any cut (below).
		 */
		size_t offs[] = { 11, 12, 20, 100, 1000, 4096, n / 4, n / 2,
				  3 * n / 4, n - 4096, n - 256 };

		cut_at(d, n, offs, sizeof(offs) / sizeof(offs[0]), false);
		cut_at(d, n, offs, 4, true);
		if (f == 0) {
			size_t last[] = { n - 1 };

			cut_at(d, n, last, 1, false);
		}
		free(d);
	}
}
END_TEST

static void patch64(unsigned char *d, size_t off, uint64_t v)
{
	memcpy(d + off, &v, 8);
}

START_TEST(test_absurd_perf_headers)
{
	static const struct { size_t off; uint64_t v; const char *err; } p[] = {
		{ 8, 1ull << 40, "header size" },	/* header size */
		{ 8, 16, "pipe-mode" },
		{ 16, 1ull << 40, "attr size" },	/* attr_size */
		{ 32, 1ull << 62, "attrs" },		/* attrs.size */
		{ 40, 3, "data section" },		/* data.offset */
		{ 48, 1ull << 62, "truncated" },	/* data.size */
		{ 48, 0, "empty data section" },
		{ 72, 0, "tracepoint formats" },	/* no features at all */
	};
	size_t n;
	unsigned char *good = slurp(PERF_REC, &n), *d = malloc(n);
	char path[32];

	ck_assert_ptr_nonnull(d);
	for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		memcpy(d, good, n);
		patch64(d, p[i].off, p[i].v);
		spit(path, d, n, false);
		expect_error(path, p[i].err);
		unlink(path);
	}
	/* an absurd record size inside the data section */
	memcpy(d, good, n);
	{
		uint64_t data_off;
		uint16_t huge = 0xfff8;

		memcpy(&data_off, good + 40, 8);
		memcpy(d + data_off + 6, &huge, 2);
		spit(path, d, n, false);
		expect_error(path, "record");
		unlink(path);
	}
	free(good);
	free(d);
}
END_TEST

START_TEST(test_unsupported_compression)
{
	size_t n;
	unsigned char *d = slurp(DAT7, &n);
	unsigned char *z = memmem(d, 64, "zstd", 5);
	char path[32];

	/* v7 names its compression in the header: make it zlib */
	ck_assert_ptr_nonnull(z);
	memcpy(z, "zlib", 4);
	spit(path, d, n, false);
	expect_error(path, "unsupported compression zlib");
	unlink(path);
	memcpy(z, "lzma", 4);
	spit(path, d, n, false);
	expect_error(path, "unsupported compression lzma");
	unlink(path);
	free(d);
}
END_TEST

/* scxsim on path under every policy: its exit status. */
static int whole_pipeline(const char *path)
{
	const char *args[] = { "-P", "eevdf,lowlat,fifo,vruntime",
			       "--json", "-", path, NULL };
	struct sim_run r = sim_run(args, NULL);

	sim_run_free(&r);
	return r.rc;
}

START_TEST(test_fuzz_regressions)
{
	const char *const *bad = tm_bad_fixtures();

	ck_assert_ptr_nonnull(bad[0]);
	for (; *bad; bad++) {
		/* each once crashed or hung a reader; now: an answer, any */
		read_all(*bad);
		/* ... and all of scxsim: a result, or one line and exit 2 */
		ck_assert_msg(whole_pipeline(*bad) <= 2, "%s", *bad);
	}
}
END_TEST

Suite *trace_bad_suite(void)
{
	Suite *s = suite_create("trace_bad");
	TCase *tc = tcase_create("bad_input");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_empty_and_magic);
	tcase_add_test(tc, test_text_not_a_trace);
	tcase_add_test(tc, test_truncated_perf);
	tcase_add_test(tc, test_truncated_dat);
	tcase_add_test(tc, test_absurd_perf_headers);
	tcase_add_test(tc, test_unsupported_compression);
	tcase_add_test(tc, test_fuzz_regressions);
	suite_add_tcase(s, tc);
	return s;
}
