// SPDX-License-Identifier: GPL-2.0
/*
 * The round-trip breakdown, from the histograms the BPF side fills when a
 * task starts running. Buckets are a quarter octave wide (bpf/intf.h), so
 * a quantile is the middle of its bucket: within 12.5% of the real value,
 * plenty to tell a 50 us stage from a 500 us one. Means are exact (sums).
 */
#include "live/latency.h"

static const char *const class_names[SCXL_LAT_NR_CLASSES] = { "all", "irq" };
static const char *const stage_names[SCXL_LAT_NR_STAGES] = {
	"queue", "daemon", "carry", "run", "total",
};
static const char *const path_names[SCXL_NR_PATHS] = {
	"user", "fast", "congested", "rescued", "kernel", "daemon",
};

uint64_t live_lat_value(uint32_t b)
{
	uint32_t o, q;

	if (b == 0)
		return 512;
	o = 10 + (b - 1) / 4;
	q = (b - 1) % 4;
	return (1ULL << o) + q * (1ULL << (o - 2)) + (1ULL << (o - 3));
}

uint64_t live_lat_count(const __u64 *hist)
{
	uint64_t n = 0;

	for (uint32_t b = 0; b < SCXL_LAT_BUCKETS; b++)
		n += hist[b];
	return n;
}

uint64_t live_lat_quantile(const __u64 *hist, double q)
{
	uint64_t n = live_lat_count(hist), seen = 0;
	/* The sample of rank ceil(q n), as perf and scxsim's metrics count. */
	uint64_t rank = (uint64_t)(q * (double)n + 0.999999);

	if (!n)
		return 0;
	if (rank < 1)
		rank = 1;
	for (uint32_t b = 0; b < SCXL_LAT_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= rank)
			return live_lat_value(b);
	}
	return live_lat_value(SCXL_LAT_BUCKETS - 1);
}

static void print_hist(FILE *f, const struct scxl_lat *lat, uint32_t c,
		       uint32_t h, const char *kind, const char *name)
{
	uint32_t i = c * SCXL_LAT_HISTS + h;
	const __u64 *hist = &lat->hist[i * SCXL_LAT_BUCKETS];
	uint64_t n = live_lat_count(hist);

	if (!n)
		return;
	fprintf(f, "scxlive-lat: class=%s %s=%s n=%llu mean_us=%.1f p50_us=%.1f "
		"p90_us=%.1f p99_us=%.1f\n", class_names[c], kind, name,
		(unsigned long long)n, lat->sum_ns[i] / 1e3 / (double)n,
		live_lat_quantile(hist, 0.5) / 1e3,
		live_lat_quantile(hist, 0.9) / 1e3,
		live_lat_quantile(hist, 0.99) / 1e3);
}

void live_lat_print(FILE *f, const struct scxl_lat *lat)
{
	for (uint32_t c = 0; c < SCXL_LAT_NR_CLASSES; c++) {
		for (uint32_t st = 0; st < SCXL_LAT_NR_STAGES; st++)
			print_hist(f, lat, c, st, "stage", stage_names[st]);
		for (uint32_t p = 0; p < SCXL_NR_PATHS; p++)
			print_hist(f, lat, c, SCXL_LAT_NR_STAGES + p, "path",
				   path_names[p]);
	}
	fflush(f);
}
