/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the simulator's tests: tiny hand-built models and events, a
 * throw-away FIFO policy whose behaviour is fixed here (so the engine's
 * on-paper answers don't move when policy/ evolves), and the list of reader
 * fixtures.
 */
#ifndef SCX_TESTS_TEST_ENGINE_H
#define SCX_TESTS_TEST_ENGINE_H

#include "policy/policy.h"
#include "sim/engine/engine.h"
#include "sim/model/model.h"

#define MS	1000000ull
#define US	1000ull

/* tfifo: params[0] = slice ns, params[1] = 1 to preempt CPU 0 on wakeup. */
extern const struct policy_ops test_fifo_ops;
/* tlose: enqueues and never dispatches: the engine must notice. */
extern const struct policy_ops test_lose_ops;

/* A model with nr_cpus CPUs and tasks added by hand. */
struct model *tm_model(uint32_t nr_cpus);
uint32_t tm_task(struct model *m, int32_t pid, const char *comm);
void tm_burst(struct model *m, uint32_t task, uint8_t src, uint64_t demand,
	      uint64_t at, uint8_t flags);
void tm_edge(struct model *m, uint32_t waker, uint32_t burst, uint64_t off,
	     uint32_t wakee, uint32_t wakee_burst);

/*
 * Replay m on its CPUs; returns the result. slice and kick set tfifo's and
 * tlose's parameters; registered policies run with their defaults.
 */
struct result *tm_run(const struct model *m, const struct policy_ops *ops,
		      int64_t slice, int64_t kick, uint64_t wake_cost,
		      struct engine_stats *st);

/* Read a trace into a finished model (asserting it reads cleanly). */
struct model *tm_read(const char *path);

/* Paths of tests/fixtures/ traces (dat, perf.data); NULL-ended, static. */
const char *const *tm_fixtures(void);
/* Paths of every input in tests/fixtures/bad/, sorted; NULL-ended, static. */
const char *const *tm_bad_fixtures(void);

#endif
