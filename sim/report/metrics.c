// SPDX-License-Identifier: GPL-2.0
/*
 * Per-pid delay accounting (see metrics.h for the figures' definitions).
 *
 * Pids live in a dense array indexed through an open-addressing hash (linear
 * probing, power-of-two size, load <= 1/2), so a delay costs one hash probe
 * and a few adds; the array and table grow by doubling, never per event.
 * Histogram pages (64 counters for one power of two, and their sum) are
 * allocated the first time a pid sees a delay of that magnitude: a pid
 * uses a handful of them.
 * They come from chunks of HIST_CHUNK pages, freed together: a replay of a
 * busy trace makes thousands of pages, and one calloc and free each cost
 * a tuning run as much as its histogram updates.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report/metrics.h"
#include "sim/model/pidmap.h"

#define HIST_SUB_BITS	6
#define HIST_SUB	(1u << HIST_SUB_BITS)
/* page 0: exact 0..63; page p >= 1: [2^(p+5), 2^(p+6)) in 64 steps */
#define HIST_PAGES	(64 - HIST_SUB_BITS + 1)
#define HIST_SLOTS	(HIST_PAGES * HIST_SUB)

struct task_acc {
	int32_t pid;
	uint8_t ignored;
	uint8_t has_comm;
	char comm[TRACE_COMM_LEN];
	uint64_t count, sum, max, max_at, runtime, exit_ts;
	uint32_t *hist[HIST_PAGES];	/* HIST_SUB counters, then their sum */
};

#define HIST_CHUNK	256

struct hist_chunk {
	struct hist_chunk *next;
	uint32_t used;
	uint32_t page[HIST_CHUNK][HIST_SUB + 1];
};

struct metrics {
	struct hist_chunk *chunks;	/* newest first, pages handed out */
	struct task_acc *tasks;
	uint32_t ntasks, cap;
	struct pidmap index;	/* pid -> tasks[] */
	double util;
	uint64_t span_ns;
};

struct metrics *metrics_new(void)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->util = -1.0;
	if (pidmap_init(&m->index)) {
		free(m);
		return NULL;
	}
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	while (m->chunks) {
		struct hist_chunk *next = m->chunks->next;

		free(m->chunks);
		m->chunks = next;
	}
	free(m->tasks);
	pidmap_free(&m->index);
	free(m);
}

/* The pid's accumulator, created on first sight; NULL only on ENOMEM. */
static struct task_acc *task_get(struct metrics *m, int32_t pid)
{
	uint32_t i = pidmap_get(&m->index, pid);
	struct task_acc *t;

	if (i != PIDMAP_NONE)
		return &m->tasks[i];
	if (m->ntasks == m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 256;
		struct task_acc *nt = realloc(m->tasks, cap * sizeof(*nt));

		if (!nt)
			return NULL;
		m->tasks = nt;
		m->cap = cap;
	}
	if (pidmap_put(&m->index, pid, m->ntasks))
		return NULL;
	t = &m->tasks[m->ntasks++];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	return t;
}

/* A zeroed histogram page; NULL only on ENOMEM. */
static uint32_t *page_new(struct metrics *m)
{
	struct hist_chunk *c = m->chunks;

	if (!c || c->used == HIST_CHUNK) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		c->next = m->chunks;
		m->chunks = c;
	}
	return c->page[c->used++];
}

static inline unsigned int hist_slot(uint64_t v)
{
	unsigned int e;

	if (v < HIST_SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v);
	return (e - HIST_SUB_BITS + 1) * HIST_SUB +
	       (unsigned int)((v >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

/* Midpoint of the bucket, so the error is at most half a step. */
static uint64_t hist_value(unsigned int slot)
{
	unsigned int page = slot / HIST_SUB, sub = slot % HIST_SUB;
	unsigned int shift;
	uint64_t lo;

	if (!page)
		return sub;
	shift = page - 1;
	lo = (uint64_t)(HIST_SUB + sub) << shift;
	return lo + ((1ull << shift) >> 1);
}

void metrics_delay(struct metrics *m, int32_t pid, uint64_t delay_ns,
		   uint64_t at)
{
	struct task_acc *t = task_get(m, pid);
	unsigned int slot = hist_slot(delay_ns);
	uint32_t **page;

	if (!t)
		return;
	t->count++;
	t->sum += delay_ns;
	if (delay_ns > t->max || t->count == 1) {
		t->max = delay_ns;
		t->max_at = at;
	}
	page = &t->hist[slot / HIST_SUB];
	if (!*page) {
		*page = page_new(m);
		if (!*page)
			return;
	}
	(*page)[slot % HIST_SUB]++;
	(*page)[HIST_SUB]++;	/* the page's sum, for the quantiles */
}

void metrics_runtime(struct metrics *m, int32_t pid, uint64_t ns)
{
	struct task_acc *t = task_get(m, pid);

	if (t)
		t->runtime += ns;
}

/*
 * snprintf(dst, TRACE_COMM_LEN, "%s", src), at a tenth of the cost: a
 * row or task gets its name this way four times per replay, for every
 * task.
 */
static void comm_copy(char *dst, const char *src)
{
	size_t n = strnlen(src, TRACE_COMM_LEN - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void metrics_comm(struct metrics *m, int32_t pid, const char *comm)
{
	struct task_acc *t = task_get(m, pid);

	if (!t)
		return;
	comm_copy(t->comm, comm);
	t->has_comm = 1;
}

void metrics_exit(struct metrics *m, int32_t pid, uint64_t ts)
{
	struct task_acc *t = task_get(m, pid);

	if (t)
		t->exit_ts = ts;
}

void metrics_touch(struct metrics *m, int32_t pid)
{
	task_get(m, pid);
}

void metrics_ignore(struct metrics *m, int32_t pid)
{
	struct task_acc *t = task_get(m, pid);

	if (t)
		t->ignored = 1;
}

void metrics_util(struct metrics *m, uint64_t busy_ns, uint32_t cpus,
		  uint64_t span_ns)
{
	m->span_ns = span_ns;
	m->util = cpus && span_ns ? (double)busy_ns / ((double)cpus * span_ns)
				  : -1.0;
}

/*
 * A row's histogram, merged from its tasks': the slots, and which pages
 * any task had (bit p: page p). A task has a few pages of the 59, so the
 * reads and the clearing walk those, not all 3776 slots, for each of a
 * trace's thousands of rows.
 */
struct merged {
	uint64_t *h;
	uint64_t pages;
	uint64_t n[HIST_PAGES];		/* delays in each page */
};

/* The next non-empty page from p on, or HIST_PAGES. */
static unsigned int next_page(const struct merged *mh, unsigned int p)
{
	uint64_t left = p < 64 ? mh->pages >> p : 0;

	return left ? p + (unsigned int)__builtin_ctzll(left) : HIST_PAGES;
}

static void merged_clear(struct merged *mh)
{
	for (unsigned int p = next_page(mh, 0); p < HIST_PAGES;
	     p = next_page(mh, p + 1))
		memset(mh->h + p * HIST_SUB, 0, HIST_SUB * sizeof(*mh->h));
	memset(mh->n, 0, sizeof(mh->n));
	mh->pages = 0;
}

/* The slots of the pages mh holds, ascending (HIST_SLOTS: the end). */
static unsigned int next_slot(const struct merged *mh, unsigned int s)
{
	if (s % HIST_SUB == HIST_SUB - 1)
		return next_page(mh, s / HIST_SUB + 1) * HIST_SUB;
	return s + 1;
}

/*
 * Where the quantiles fall, page by page: a page whose sum (kept as the
 * delays come, in the page's last counter) leaves the next quantile unreached is skipped whole, and
 * only the pages a quantile lands in are walked slot by slot. The same
 * slots come out as a walk of every slot.
 */
struct quantiles {
	struct metrics_row *row;
	uint64_t cum;
	unsigned int k;
};

static const unsigned int quantile_pct[3] = { 50, 90, 99 };

static bool quantile_reached(const struct quantiles *q, uint64_t cum)
{
	return cum * 100 >= q->row->count * quantile_pct[q->k];
}

static void quantile_set(struct quantiles *q, uint64_t v)
{
	uint64_t *out[3] = { &q->row->p50_ns, &q->row->p90_ns,
			     &q->row->p99_ns };

	*out[q->k++] = v > q->row->max_ns ? q->row->max_ns : v;
}

/* One page of counters (c64 or c32: a merged row's or a task's own). */
static void quantile_page(struct quantiles *q, unsigned int p, uint64_t sum,
			  const uint64_t *c64, const uint32_t *c32)
{
	if (!quantile_reached(q, q->cum + sum)) {
		q->cum += sum;
		return;
	}
	for (unsigned int i = 0; i < HIST_SUB && q->k < 3; i++) {
		q->cum += c64 ? c64[i] : c32[i];
		while (q->k < 3 && quantile_reached(q, q->cum))
			quantile_set(q, hist_value(p * HIST_SUB + i));
	}
}

/* Pages that failed to allocate: the rest fall back to the exact max. */
static void quantile_rest(struct quantiles *q)
{
	while (q->k < 3)
		quantile_set(q, q->row->max_ns);
}

/* Percentiles of a merged histogram; max clamps the top bucket's midpoint. */
static void fill_percentiles(struct metrics_row *row, const struct merged *mh)
{
	struct quantiles q = { row, 0, 0 };

	row->p50_ns = row->p90_ns = row->p99_ns = 0;
	if (!row->count)
		return;
	/* empty slots move no quantile: only the pages that hold any */
	for (unsigned int p = next_page(mh, 0); p < HIST_PAGES && q.k < 3;
	     p = next_page(mh, p + 1))
		quantile_page(&q, p, mh->n[p], mh->h + p * HIST_SUB, NULL);
	quantile_rest(&q);
}

/* The same for a task row, read from the task's own pages (no merge). */
static void fill_task_percentiles(struct metrics_row *row,
				  const struct task_acc *t)
{
	struct quantiles q = { row, 0, 0 };

	row->p50_ns = row->p90_ns = row->p99_ns = 0;
	if (!row->count)
		return;
	for (unsigned int p = 0; p < HIST_PAGES && q.k < 3; p++)
		if (t->hist[p])
			quantile_page(&q, p, t->hist[p][HIST_SUB], NULL,
				      t->hist[p]);
	quantile_rest(&q);
}

/* Largest delay that falls in the slot. */
static uint64_t hist_upper(unsigned int slot)
{
	unsigned int page = slot / HIST_SUB, sub = slot % HIST_SUB;

	if (!page)
		return sub;
	return ((uint64_t)(HIST_SUB + sub + 1) << (page - 1)) - 1;
}

/* The non-empty buckets of a merged histogram as cumulative steps. */
static int fill_steps(struct metrics_row *row, const struct merged *mh)
{
	const uint64_t *h = mh->h;
	unsigned int first = next_page(mh, 0) * HIST_SUB;
	uint64_t cum = 0;
	size_t n = 0;

	for (unsigned int s = first; s < HIST_SLOTS; s = next_slot(mh, s))
		n += h[s] != 0;
	if (!n)
		return 0;
	row->steps = malloc(n * sizeof(*row->steps));
	if (!row->steps)
		return -1;
	for (unsigned int s = first; s < HIST_SLOTS; s = next_slot(mh, s)) {
		struct metrics_step *st;

		if (!h[s])
			continue;
		cum += h[s];
		st = &row->steps[row->nsteps++];
		/* the top bucket ends at the exact max, as the quantiles do */
		st->le_ns = hist_upper(s) > row->max_ns ? row->max_ns :
			    hist_upper(s);
		st->cum = cum;
	}
	return 0;
}

size_t metrics_row_steps(const struct metrics_row *r,
			 const struct metrics_step **steps)
{
	*steps = r->steps;
	return r->steps ? r->nsteps : 0;
}

static void add_task(struct metrics_row *row, struct merged *mh,
		     const struct task_acc *t)
{
	uint64_t *h = mh ? mh->h : NULL;

	row->count += t->count;
	row->sum_ns += t->sum;
	row->runtime_ns += t->runtime;
	if (t->count && (t->max > row->max_ns || row->count == t->count)) {
		row->max_ns = t->max;
		row->max_at_ns = t->max_at;
	}
	if (t->exit_ts > row->done_ns)
		row->done_ns = t->exit_ts;
	for (int p = 0; h && p < HIST_PAGES; p++) {
		if (!t->hist[p])
			continue;
		mh->pages |= 1ull << p;
		mh->n[p] += t->hist[p][HIST_SUB];
		for (unsigned int i = 0; i < HIST_SUB; i++)
			h[p * HIST_SUB + i] += t->hist[p][i];
	}
}

static void close_row(struct metrics_row *row, const struct merged *mh)
{
	row->avg_ns = row->count ? row->sum_ns / row->count : 0;
	fill_percentiles(row, mh);
}

/* A pid nobody named is ":pid", as perf names threads it has no comm for. */
static void task_name(const struct task_acc *t, char *out)
{
	if (t->has_comm) {
		memcpy(out, t->comm, TRACE_COMM_LEN);
		return;
	}
	snprintf(out, TRACE_COMM_LEN, ":%d", (int)t->pid);
}

struct named {
	char comm[TRACE_COMM_LEN];
	const struct task_acc *t;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->comm, y->comm);

	if (c)
		return c;
	return (x->t->pid > y->t->pid) - (x->t->pid < y->t->pid);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return (x->t->pid > y->t->pid) - (x->t->pid < y->t->pid);
}

static void row_init(struct metrics_row *row, const char *comm, int32_t pid)
{
	memset(row, 0, sizeof(*row));
	comm_copy(row->comm, comm);
	row->pid = pid;
}

static int build_comms(struct result *res, struct named *v, size_t n,
		       struct merged *h, unsigned int flags)
{
	struct merged th = { .h = calloc(HIST_SLOTS, sizeof(*th.h)) };
	size_t i = 0;

	if (!th.h)
		return -1;
	qsort(v, n, sizeof(*v), cmp_named);
	res->comms = calloc(n ? n : 1, sizeof(*res->comms));
	if (!res->comms)
		goto fail;
	while (i < n) {
		struct metrics_row *row = &res->comms[res->ncomms];
		size_t j = i;

		row_init(row, v[i].comm, -1);
		merged_clear(h);
		while (j < n && !strcmp(v[j].comm, v[i].comm))
			add_task(row, h, v[j++].t);
		if ((flags & METRICS_PERF_ROWS) && !row->count) {
			i = j;
			continue;
		}
		row->pids = malloc((j - i) * sizeof(*row->pids));
		if (!row->pids)
			goto fail;
		row->npids = j - i;
		for (size_t k = 0; k < row->npids; k++) {
			row->pids[k] = v[i + k].t->pid;
			add_task(&res->total, &th, v[i + k].t);
		}
		close_row(row, h);
		res->ncomms++;
		if (!(flags & METRICS_NO_DIST) && fill_steps(row, h))
			goto fail;
		i = j;
	}
	close_row(&res->total, &th);
	if (!(flags & METRICS_NO_DIST) && fill_steps(&res->total, &th))
		goto fail;
	free(th.h);
	return 0;
fail:
	free(th.h);
	return -1;
}

static int build_tasks(struct result *res, struct named *v, size_t n,
		       unsigned int flags)
{
	qsort(v, n, sizeof(*v), cmp_pid);
	res->tasks = calloc(n ? n : 1, sizeof(*res->tasks));
	if (!res->tasks)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct metrics_row *row = &res->tasks[res->ntasks];

		if ((flags & METRICS_PERF_ROWS) && !v[i].t->count)
			continue;
		row_init(row, v[i].comm, v[i].t->pid);
		if (flags & METRICS_NO_DIST) {	/* exact figures only */
			add_task(row, NULL, v[i].t);
			row->avg_ns = row->count ? row->sum_ns / row->count : 0;
		} else {
			add_task(row, NULL, v[i].t);
			row->avg_ns = row->count ? row->sum_ns / row->count : 0;
			fill_task_percentiles(row, v[i].t);
		}
		res->ntasks++;
	}
	return 0;
}

/* Is comm one of want[0..nwant) (NULL entries match nothing)? */
static bool wanted(const char *comm, const char *const *want, size_t nwant)
{
	for (size_t i = 0; i < nwant; i++)
		if (want[i] && !strcmp(comm, want[i]))
			return true;
	return false;
}

static struct result *finish(struct metrics *m, const char *name,
			     unsigned int flags, const char *const *want,
			     size_t nwant)
{
	struct result *res = calloc(1, sizeof(*res));
	struct named *v = NULL, *vc = NULL;
	struct merged h = { .h = NULL };
	size_t n = 0, nc = 0;

	if (!res)
		return NULL;
	res->name = strdup(name ? name : "");
	v = malloc((m->ntasks ? m->ntasks : 1) * sizeof(*v));
	vc = want ? malloc((m->ntasks ? m->ntasks : 1) * sizeof(*vc)) : v;
	/* all of it cleared once; then only the pages a row used */
	h.h = calloc(HIST_SLOTS, sizeof(*h.h));
	if (!res->name || !v || !vc || !h.h)
		goto fail;
	for (uint32_t i = 0; i < m->ntasks; i++) {
		if (m->tasks[i].ignored)
			continue;
		task_name(&m->tasks[i], v[n].comm);
		v[n].t = &m->tasks[i];
		if (want && wanted(v[n].comm, want, nwant))
			vc[nc++] = v[n];
		n++;
	}
	if (!want)
		nc = n;
	row_init(&res->total, "TOTAL", -1);
	if (build_comms(res, vc, nc, &h, flags) ||
	    build_tasks(res, v, n, flags))
		goto fail;
	res->cpu_util = m->util;
	res->span_ns = m->span_ns;
	if (want)
		free(vc);
	free(v);
	free(h.h);
	return res;
fail:
	if (want)
		free(vc);
	free(v);
	free(h.h);
	result_free(res);
	return NULL;
}

struct result *metrics_finish(struct metrics *m, const char *name,
			      unsigned int flags)
{
	return finish(m, name, flags, NULL, 0);
}

struct result *metrics_finish_comms(struct metrics *m, const char *name,
				    unsigned int flags,
				    const char *const *comms, size_t ncomms)
{
	return finish(m, name, flags, comms, ncomms);
}

void result_free(struct result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->ncomms; i++) {
		free(res->comms[i].pids);
		free(res->comms[i].steps);
	}
	free(res->total.steps);
	free(res->comms);
	free(res->tasks);
	free(res->name);
	free(res);
}

const struct metrics_row *result_comm(const struct result *res,
				      const char *comm)
{
	size_t lo = 0, hi = res->ncomms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(res->comms[mid].comm, comm);

		if (!c)
			return &res->comms[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct metrics_row *result_task(const struct result *res, int32_t pid)
{
	size_t lo = 0, hi = res->ntasks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (res->tasks[mid].pid == pid)
			return &res->tasks[mid];
		if (res->tasks[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void result_take_runtime(struct result *res, const struct result *from)
{
	for (size_t i = 0; i < res->ncomms; i++) {
		const struct metrics_row *o = result_comm(from, res->comms[i].comm);

		res->comms[i].runtime_ns = o ? o->runtime_ns : 0;
	}
	for (size_t i = 0; i < res->ntasks; i++) {
		const struct metrics_row *o = result_task(from, res->tasks[i].pid);

		res->tasks[i].runtime_ns = o ? o->runtime_ns : 0;
	}
	res->total.runtime_ns = from->total.runtime_ns;
}
