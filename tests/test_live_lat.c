// SPDX-License-Identifier: GPL-2.0
/*
 * The round-trip breakdown's two halves on the host: the histogram
 * encoding the BPF side uses (bpf/intf.h) read back by live/latency.c, and
 * the stamps the daemon puts on each decision (when it read the enqueue,
 * when it answered) for the BPF side to split the round trip with.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "live/latency.h"
#include "tests/suites.h"
#include "tests/test_live.h"

/* Every time lands in the bucket whose middle is within 12.5% of it. */
START_TEST(bucket_value_close)
{
	uint32_t last = 0;

	for (uint64_t ns = 1024; ns < (1ULL << 29); ns += ns / 7 + 1) {
		uint32_t b = scxl_lat_bucket(ns);
		double v = (double)live_lat_value(b);

		ck_assert_uint_ge(b, last);
		last = b;
		ck_assert_msg(v >= ns * 0.874 && v <= ns * 1.126,
			      "%llu ns -> bucket %u = %.0f ns",
			      (unsigned long long)ns, b, v);
	}
	ck_assert_uint_eq(scxl_lat_bucket(0), 0);
	ck_assert_uint_eq(scxl_lat_bucket(1023), 0);
	ck_assert_uint_eq(scxl_lat_bucket(1024), 1);
	ck_assert_uint_eq(scxl_lat_bucket(~0ULL), SCXL_LAT_BUCKETS - 1);
}
END_TEST

/* 90 samples of 10 us and 10 of 1 ms: p50 and p90 10 us, p99 1 ms. */
START_TEST(quantiles_of_two_humps)
{
	__u64 h[SCXL_LAT_BUCKETS] = { 0 };

	h[scxl_lat_bucket(10000)] = 90;
	h[scxl_lat_bucket(1000000)] = 10;
	ck_assert_uint_eq(live_lat_count(h), 100);
	ck_assert_uint_eq(live_lat_quantile(h, 0.5), live_lat_value(scxl_lat_bucket(10000)));
	ck_assert_uint_eq(live_lat_quantile(h, 0.9), live_lat_value(scxl_lat_bucket(10000)));
	ck_assert_uint_eq(live_lat_quantile(h, 0.91), live_lat_value(scxl_lat_bucket(1000000)));
	ck_assert_uint_eq(live_lat_quantile(h, 0.99), live_lat_value(scxl_lat_bucket(1000000)));
	memset(h, 0, sizeof(h));
	ck_assert_uint_eq(live_lat_quantile(h, 0.99), 0);
}
END_TEST

/* The printed line names class and stage and gives the figures. */
START_TEST(print_names_stage_and_path)
{
	static struct scxl_lat lat;
	char buf[2048] = "";
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
	uint32_t irq_run = SCXL_LAT_IRQ * SCXL_LAT_HISTS + SCXL_LAT_RUN;
	uint32_t all_fast = SCXL_LAT_HISTS * 0 + SCXL_LAT_NR_STAGES + SCXL_PATH_FAST;

	memset(&lat, 0, sizeof(lat));
	lat.hist[irq_run * SCXL_LAT_BUCKETS + scxl_lat_bucket(50000)] = 4;
	lat.sum_ns[irq_run] = 4 * 50000;
	lat.hist[all_fast * SCXL_LAT_BUCKETS + scxl_lat_bucket(3000)] = 1;
	lat.sum_ns[all_fast] = 3000;
	live_lat_print(f, &lat);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "scxlive-lat: class=irq stage=run n=4 mean_us=50.0 "));
	ck_assert_ptr_nonnull(strstr(buf, "scxlive-lat: class=all path=fast n=1 mean_us=3.0 "));
	/* Empty histograms print nothing. */
	ck_assert_ptr_null(strstr(buf, "stage=queue"));
}
END_TEST

/* A stamp clock that moves 2 ms each time it is read. */
static uint64_t step_stamp(void *ctx)
{
	struct fake_ring *r = ctx;
	uint64_t t = r->now;

	r->now += 2000000;
	return t;
}

/*
 * A decision carries when the daemon read its enqueue and when it
 * answered, on the stamp clock: read at 5 ms, answered at 7 ms; with no
 * stamp clock, no stamps (the BPF side then skips the stages).
 */
START_TEST(decision_carries_read_and_answer_times)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;

	ring.stamp = step_stamp;
	sched_init(&s, "fifo", 8);
	r->now = 5000000;
	fr_queue(r, 90, 1, SCXL_ENQ_WAKEUP);
	ck_assert_uint_eq(live_sched_run(&s, &ring), 1);
	ck_assert_uint_eq(r->out[0].read_ts, 5000000);
	ck_assert_uint_eq(r->out[0].answer_ts, 7000000);
	ring.stamp = NULL;
	fr_queue(r, 91, 2, SCXL_ENQ_WAKEUP);
	ck_assert_uint_eq(live_sched_run(&s, &ring), 1);
	ck_assert_uint_eq(r->out[1].read_ts, 0);
	ck_assert_uint_eq(r->out[1].answer_ts, 0);
	live_sched_free(&s);
	free(r);
}
END_TEST

Suite *live_lat_suite(void)
{
	Suite *s = suite_create("live_lat");
	TCase *tc = tcase_create("breakdown");

	tcase_add_test(tc, bucket_value_close);
	tcase_add_test(tc, quantiles_of_two_humps);
	tcase_add_test(tc, print_names_stage_and_path);
	tcase_add_test(tc, decision_carries_read_and_answer_times);
	suite_add_tcase(s, tc);
	return s;
}
