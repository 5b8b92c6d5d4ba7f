/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the BPF side's round-trip histograms (struct scxl_lat in
 * bpf/intf.h): a bucket's value, a quantile, and the breakdown lines
 * scxlive prints at exit for tests/vm/bench-live to gather.
 */
#ifndef SCX_LIVE_LATENCY_H
#define SCX_LIVE_LATENCY_H

#include <stdint.h>
#include <stdio.h>

#include "bpf/intf.h"

/* The middle of bucket b, in ns. */
uint64_t live_lat_value(uint32_t b);
/* The number of samples in a SCXL_LAT_BUCKETS histogram. */
uint64_t live_lat_count(const __u64 *hist);
/* Its q-quantile (0 < q <= 1) in ns, 0 when empty. */
uint64_t live_lat_quantile(const __u64 *hist, double q);
/* One "scxlive-lat: class=C stage=S|path=P n= mean_us= p50_us= ..." a line. */
void live_lat_print(FILE *f, const struct scxl_lat *lat);

#endif /* SCX_LIVE_LATENCY_H */
