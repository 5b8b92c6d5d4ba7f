// SPDX-License-Identifier: GPL-2.0
/*
 * The scxlive host's costs: shipped defaults, the cost file, draws.
 *
 * A cost file is text, one cost a line, '#' starts a comment:
 *   wake_idle_ns  Q1 ... Q32    the daemon's wakeup onto an idle CPU
 *   wake_busy_ns  Q1 ... Q32    ... onto a busy one (it preempts its task)
 *   round_ns      Q1 ... Q32    its CPU time per run, messages apart,
 *                               while the other CPUs idle
 *   round_shared_ns ...         ... while another CPU is busy
 *   wake_task_ns  Q1 ... Q32    a task's wakeup onto an idle CPU, served
 *                               by the BPF side alone
 *   wake_idle_shared_ns, wake_task_shared_ns   the same two wakeups while
 *                               another CPU is busy (and stays busy)
 *   wake_busy_shared_ns ...     wake_busy while another CPU is busy
 *   wake_freed_ns Q1 ... Q32    either, when the busy CPUs idled first:
 *                               from their idling to it running
 *   wake_local_ns, wake_local_shared_ns   wake_task by an interrupt on
 *                               the idle CPU itself (no IPI), the other
 *                               CPUs idle or one busy at the wakeup
 *   per_msg_ns    N             a run's time per message it handles
 *   kernel_path_ns N            (optional) the measuring machine's speed:
 *                               its median sched_waking -> sched_wakeup
 * Each Qi is the middle of the i-th of 32 equal-probability bins, so a draw
 * picks a bin and interpolates inside it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/policy.h"
#include "sim/model/live_cost.h"

const char *const live_cost_names[LCOST_NR] = {
	[LCOST_WAKE_IDLE] = "wake_idle_ns",
	[LCOST_WAKE_BUSY] = "wake_busy_ns",
	[LCOST_ROUND] = "round_ns",
	[LCOST_ROUND_SHARED] = "round_shared_ns",
	[LCOST_WAKE_TASK] = "wake_task_ns",
	[LCOST_WAKE_IDLE_SHARED] = "wake_idle_shared_ns",
	[LCOST_WAKE_TASK_SHARED] = "wake_task_shared_ns",
	[LCOST_WAKE_BUSY_SHARED] = "wake_busy_shared_ns",
	[LCOST_WAKE_FREED] = "wake_freed_ns",
	[LCOST_WAKE_LOCAL] = "wake_local_ns",
	[LCOST_WAKE_LOCAL_SHARED] = "wake_local_shared_ns",
};

/* A duration (bare: ns) up to 10 s, as the policies' parameters read. */
static bool parse_dur(const char *s, uint64_t *v)
{
	return policy_parse_duration(s, 1, v) == POLICY_OK &&
	       *v <= 10000000000ull;
}

static int find_kind(const char *key)
{
	for (int k = 0; k < LCOST_NR; k++) {
		size_t n = strlen(live_cost_names[k]) - 3;	/* no "_ns" */

		if (!strcmp(key, live_cost_names[k]) ||
		    (strlen(key) == n && !strncmp(key, live_cost_names[k], n)))
			return k;
	}
	if (!strcmp(key, "per_msg_ns") || !strcmp(key, "per_msg"))
		return LCOST_NR;
	if (!strcmp(key, "kernel_path_ns") || !strcmp(key, "kernel_path"))
		return LCOST_NR + 1;
	return -1;
}

/* KEY=DURATION: a fixed cost. */
static int apply_fixed(struct live_cost *c, const char *arg, char *err,
		       size_t errlen)
{
	const char *eq = strchr(arg, '=');
	char key[32];
	uint64_t v;
	int k;

	if ((size_t)(eq - arg) >= sizeof(key))
		goto bad_key;
	memcpy(key, arg, (size_t)(eq - arg));
	key[eq - arg] = '\0';
	k = find_kind(key);
	if (k < 0)
		goto bad_key;
	if (!parse_dur(eq + 1, &v)) {
		snprintf(err, errlen, "'%s': '%s' is not a duration up to 10s "
			 "(ns, or with us/ms/s)", arg, eq + 1);
		return -1;
	}
	if (k == LCOST_NR + 1) {
		c->kernel_path_ns = v;
	} else if (k == LCOST_NR) {
		c->per_msg_ns = v;
	} else {
		for (int i = 0; i < LIVE_COST_Q; i++)
			c->q[k][i] = v;
	}
	snprintf(c->source, sizeof(c->source), "%s", "set by --live-cost");
	return 0;
bad_key:
	snprintf(err, errlen, "'%s': unknown cost (wake_idle, wake_idle_shared, "
		 "wake_busy, round, round_shared, wake_task, wake_task_shared, "
		 "wake_busy_shared, wake_freed, wake_local, wake_local_shared, "
		 "per_msg, kernel_path, scale)", arg);
	return -1;
}

/* A file from before the shared kinds were measured: they borrow. */
static void borrow_shared(struct live_cost *c, bool *seen)
{
	if (!seen[LCOST_WAKE_IDLE_SHARED])
		memcpy(c->q[LCOST_WAKE_IDLE_SHARED], c->q[LCOST_WAKE_IDLE],
		       sizeof(c->q[0]));
	if (!seen[LCOST_WAKE_TASK_SHARED])
		memcpy(c->q[LCOST_WAKE_TASK_SHARED], c->q[LCOST_WAKE_TASK],
		       sizeof(c->q[0]));
	/* ... and before the freed one: the quiet wakeup, as it was read */
	if (!seen[LCOST_WAKE_FREED])
		memcpy(c->q[LCOST_WAKE_FREED], c->q[LCOST_WAKE_TASK],
		       sizeof(c->q[0]));
	seen[LCOST_WAKE_IDLE_SHARED] = seen[LCOST_WAKE_TASK_SHARED] = true;
	if (!seen[LCOST_WAKE_BUSY_SHARED])
		memcpy(c->q[LCOST_WAKE_BUSY_SHARED], c->q[LCOST_WAKE_BUSY],
		       sizeof(c->q[0]));
	seen[LCOST_WAKE_FREED] = seen[LCOST_WAKE_BUSY_SHARED] = true;
	/* ... and before the local ones: any task's wakeup onto an idle CPU */
	if (!seen[LCOST_WAKE_LOCAL])
		memcpy(c->q[LCOST_WAKE_LOCAL], c->q[LCOST_WAKE_TASK],
		       sizeof(c->q[0]));
	if (!seen[LCOST_WAKE_LOCAL_SHARED])
		memcpy(c->q[LCOST_WAKE_LOCAL_SHARED],
		       c->q[LCOST_WAKE_TASK_SHARED], sizeof(c->q[0]));
	seen[LCOST_WAKE_LOCAL] = seen[LCOST_WAKE_LOCAL_SHARED] = true;
}

static int parse_line(struct live_cost *c, char *line, bool *seen)
{
	char *save, *key = strtok_r(line, " \t\r\n", &save), *tok;
	uint64_t v[LIVE_COST_Q];
	int k, n = 0;

	if (!key || *key == '#')
		return 0;
	k = find_kind(key);
	if (k < 0 || !strstr(key, "_ns"))
		return -1;
	while ((tok = strtok_r(NULL, " \t\r\n", &save)) && *tok != '#') {
		if (n == LIVE_COST_Q || !parse_dur(tok, &v[n]) ||
		    (n && v[n] < v[n - 1]))
			return -1;
		n++;
	}
	if (n != (k >= LCOST_NR ? 1 : LIVE_COST_Q))
		return -1;
	if (k == LCOST_NR + 1)
		c->kernel_path_ns = v[0];
	else if (k == LCOST_NR)
		c->per_msg_ns = v[0];
	else
		memcpy(c->q[k], v, sizeof(v));
	seen[k] = true;
	return 0;
}

/*
 * The shipped defaults: sim/model/live-cost.txt, compiled in. `make live-costs`
 * measures a new one in the qemu guest; its first lines say where and
 * when, and the report repeats them.
 */
static const char shipped[] =
#include "sim/model/live_cost_dfl.h"
;

void live_cost_default(struct live_cost *c)
{
	bool seen[LCOST_NR + 2] = { false };
	const char *p = shipped, *machine = NULL;
	char line[1024];

	memset(c, 0, sizeof(*c));
	c->scale = 1.0;
	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		if (!machine && !strncmp(line, "# measured ", 11))
			machine = p + 2;
		(void)parse_line(c, line, seen);
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	borrow_shared(c, seen);
	snprintf(c->source, sizeof(c->source), "shipped defaults, %.*s",
		 machine ? (int)strcspn(machine, "\n") : 0, machine ? machine :
		 "");
}

static int apply_file(struct live_cost *c, const char *path, char *err,
		      size_t errlen)
{
	bool seen[LCOST_NR + 2] = { false };
	struct live_cost nc = *c;
	char line[1024];
	FILE *f = fopen(path, "r");
	int lineno = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (parse_line(&nc, line, seen)) {
			snprintf(err, errlen, "%s: line %d: expected 'KEY_ns' "
				 "and %d ascending durations (or per_msg_ns N)",
				 path, lineno, LIVE_COST_Q);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	borrow_shared(&nc, seen);
	if (!seen[LCOST_NR + 1])
		nc.kernel_path_ns = 0;	/* a file that does not say */
	nc.scale = 1.0;
	for (int k = 0; k <= LCOST_NR; k++)
		if (!seen[k]) {
			snprintf(err, errlen, "%s: no %s line", path,
				 k < LCOST_NR ? live_cost_names[k] :
				 "per_msg_ns");
			return -1;
		}
	snprintf(nc.source, sizeof(nc.source), "measured, from %s", path);
	*c = nc;
	return 0;
}

void live_cost_scale(struct live_cost *c, double f)
{
	for (int k = 0; k < LCOST_NR; k++)
		for (int i = 0; i < LIVE_COST_Q; i++)
			c->q[k][i] = (uint64_t)((double)c->q[k][i] * f);
	c->per_msg_ns = (uint64_t)((double)c->per_msg_ns * f);
	c->scale *= f;
}

/* scale=F or scale=auto. */
static int apply_scale(struct live_cost *c, const char *v, char *err,
		       size_t errlen)
{
	char *end;
	double f;

	if (!strcmp(v, "auto")) {
		c->scale_auto = true;
		return 0;
	}
	f = strtod(v, &end);
	if (end == v || *end || !(f > 0 && f <= 100)) {
		snprintf(err, errlen, "'scale=%s': a factor above 0, at most "
			 "100, or auto", v);
		return -1;
	}
	live_cost_scale(c, f);
	return 0;
}

int live_cost_apply(struct live_cost *c, const char *arg, char *err,
		    size_t errlen)
{
	/* A file name may hold '=' too: KEY=... only for a known key. */
	const char *eq = strchr(arg, '=');
	char key[32];

	if (!strncmp(arg, "scale=", 6))
		return apply_scale(c, arg + 6, err, errlen);
	if (eq && (size_t)(eq - arg) < sizeof(key)) {
		memcpy(key, arg, (size_t)(eq - arg));
		key[eq - arg] = '\0';
		if (find_kind(key) >= 0)
			return apply_fixed(c, arg, err, errlen);
	}
	if (eq && !strchr(arg, '/') && access(arg, F_OK))
		return apply_fixed(c, arg, err, errlen);	/* names the keys */
	return apply_file(c, arg, err, errlen);
}

uint64_t live_cost_draw(const struct live_cost *c, enum live_cost_kind k,
			double u)
{
	const uint64_t *q = c->q[k];
	double x = u * LIVE_COST_Q - 0.5, f;
	int i;

	if (x <= 0)
		return q[0];
	if (x >= LIVE_COST_Q - 1)
		return q[LIVE_COST_Q - 1];
	i = (int)x;
	f = x - i;
	return q[i] + (uint64_t)(f * (double)(q[i + 1] - q[i]));
}

uint64_t live_cost_median(const struct live_cost *c, enum live_cost_kind k)
{
	return (c->q[k][LIVE_COST_Q / 2 - 1] + c->q[k][LIVE_COST_Q / 2]) / 2;
}

void live_cost_write(FILE *f, const struct live_cost *c, const char *comment)
{
	if (comment && *comment)
		fputs(comment, f);
	for (int k = 0; k < LCOST_NR; k++) {
		fprintf(f, "%-19s", live_cost_names[k]);
		for (int i = 0; i < LIVE_COST_Q; i++)
			fprintf(f, " %llu", (unsigned long long)c->q[k][i]);
		fputc('\n', f);
	}
	fprintf(f, "%-19s %llu\n", "per_msg_ns",
		(unsigned long long)c->per_msg_ns);
	if (c->kernel_path_ns)
		fprintf(f, "%-19s %llu\n", "kernel_path_ns",
			(unsigned long long)c->kernel_path_ns);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void live_cost_quantiles(uint64_t *samples, size_t n, uint64_t q[LIVE_COST_Q])
{
	qsort(samples, n, sizeof(*samples), cmp_u64);
	for (int i = 0; i < LIVE_COST_Q; i++)
		q[i] = samples[(size_t)((2 * i + 1) * n / (2 * LIVE_COST_Q))];
}
