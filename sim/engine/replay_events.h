/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A replay as a stream of scheduler events: the engine's steps (a task
 * made runnable, switched in, switched out, exited) turned into the
 * sched_switch / sched_waking / sched_wakeup_new / sched_process_exit
 * records a kernel would have written, for a timeline file or the explain
 * tool, which then read a replay exactly as they read a recorded trace.
 *
 * The stream is built so that `perf sched latency` accounting of it (our
 * `recorded`) gives the replay's own figures, delay for delay:
 *   - a switch-out is held until the CPU's next pick at the same instant,
 *     so one sched_switch names both tasks, and a task the engine re-picks
 *     at once on the CPU it left shows no switch at all (the engine counts
 *     no delay there either);
 *   - a wakeup the engine does not measure (perf counted none) is left
 *     out; one that happens between its task's switch-out and that switch
 *     is written after it, as the kernel orders them;
 *   - a pid the trace reused for a later task is that task's only in the
 *     first one's records (the replay may run both at once): later ones
 *     get pids above PID_MAX_LIMIT;
 *   - a task running when the trace began first appears switching out
 *     (sleeping) at the trace's first instant, so its first switch-in is
 *     not a fresh task's zero delay; every CPU appears there too.
 */
#ifndef SCX_SIM_ENGINE_REPLAY_EVENTS_H
#define SCX_SIM_ENGINE_REPLAY_EVENTS_H

#include "sim/engine/engine.h"
#include "sim/model/model.h"

struct replay_events;

/* Receives each event in time order; non-zero stops nothing but is kept. */
typedef int (*replay_emit_fn)(void *ctx, const struct sched_event *ev);

/*
 * For a replay of m on nr_cpus CPUs: NULL when out of memory. Pass
 * replay_events_sink() in engine_conf.sink, call replay_events_finish()
 * after engine_run().
 */
struct replay_events *replay_events_new(const struct model *m,
					uint32_t nr_cpus, replay_emit_fn emit,
					void *ctx);
const struct engine_sink *replay_events_sink(struct replay_events *re);
/*
 * fn gets each wakeup the stream leaves out because its task never left
 * the CPU (woken while its switch-out was held, then re-picked at once),
 * with cpu2 set to that CPU: the explain tool counts it as a wakeup served
 * at once, which a timeline cannot show.
 */
void replay_events_on_repick(struct replay_events *re, replay_emit_fn fn);
/* The pid model task i has in the records (see the reused-pid rule). */
const int32_t *replay_events_pids(const struct replay_events *re);
/* Flush what is held; 0, or -1 if out of memory or emit failed. */
int replay_events_finish(struct replay_events *re);
void replay_events_free(struct replay_events *re);

#endif /* SCX_SIM_ENGINE_REPLAY_EVENTS_H */
