/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a decision's time goes (struct scxl_lat, bpf/intf.h): each wait is
 * opened when the task is queued (wait_begins), labelled with the path
 * that gives it a CPU, and closed in ops.running (lat_record), which adds
 * it to the histograms of its path and, for a decision taken in user
 * space, splits it at the daemon's stamps into its stages. The daemon
 * reads the histograms at exit (live/latency.c).
 */
#ifndef SCXL_LAT_BPF_H
#define SCXL_LAT_BPF_H

#include "bpf/state.bpf.h"

/* Read by the daemon at exit. */
struct scxl_lat lat;

static __always_inline void lat_add(u32 class, u32 h, u64 ns)
{
	u32 i = class * SCXL_LAT_HISTS + h;
	u32 idx;

	if (i >= SCXL_LAT_NR_CLASSES * SCXL_LAT_HISTS)
		return;
	idx = i * SCXL_LAT_BUCKETS + scxl_lat_bucket(ns);
	if (idx >= SCXL_LAT_NR_CLASSES * SCXL_LAT_HISTS * SCXL_LAT_BUCKETS)
		return;
	__sync_fetch_and_add(&lat.hist[idx], 1);
	__sync_fetch_and_add(&lat.sum_ns[i], ns);
}

/* A wait starts: how it ends (its path) is told when it runs. */
static __always_inline void wait_begins(struct task_ctx *tctx, u64 now, u8 path)
{
	tctx->enq_at = now;
	tctx->path = path;
	tctx->timed = true;
}

static __always_inline void lat_class(u32 class, struct task_ctx *tctx, u64 now)
{
	u64 enq = tctx->enq_at, rd = tctx->dec_read, ans = tctx->dec_answer;
	u64 car = tctx->carried_at;

	lat_add(class, SCXL_LAT_NR_STAGES + tctx->path, now - enq);
	/* Stamps of another enqueue's decision (requeued) do not add up. */
	if (tctx->path != SCXL_PATH_USER || rd < enq || ans < rd || car < ans ||
	    now < car)
		return;
	lat_add(class, SCXL_LAT_QUEUE, rd - enq);
	lat_add(class, SCXL_LAT_DAEMON, ans - rd);
	lat_add(class, SCXL_LAT_CARRY, car - ans);
	lat_add(class, SCXL_LAT_RUN, now - car);
	lat_add(class, SCXL_LAT_TOTAL, now - enq);
}

/* The task got its CPU: where its wait went. */
static __always_inline void lat_record(struct task_ctx *tctx, u64 now)
{
	if (!tctx->timed || now < tctx->enq_at)
		return;
	tctx->timed = false;
	if (tctx->path >= SCXL_NR_PATHS)
		return;
	lat_class(SCXL_LAT_ALL, tctx, now);
	if (tctx->irq_waiting)
		lat_class(SCXL_LAT_IRQ, tctx, now);
}

#endif /* SCXL_LAT_BPF_H */
