/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The little scxlive needs on top of vmlinux.h and libbpf's bpf_helpers.h to
 * write a sched_ext program: the struct_ops section macro, the PF_* bits BTF
 * does not carry, and the few kfuncs we call. vmlinux.h from a 7.x kernel
 * already declares every kfunc it exports; the declarations here repeat the
 * ones we use with the same signatures, so this file lists what the program
 * depends on and it still builds against a vmlinux.h without them. Whether
 * the running kernel has them is checked by the loader (live/main.c), which
 * refuses with the missing kfunc's name rather than a verifier log.
 */
#ifndef SCX_COMMON_BPF_H
#define SCX_COMMON_BPF_H

#include "bpf/vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define PF_KTHREAD		0x00200000	/* include/linux/sched.h */
#define ENOMEM			12

/* Callbacks of a struct_ops map. */
#define BPF_STRUCT_OPS(name, args...) \
	SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) \
	SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* The 7.x names; the 6.12 scx_bpf_dispatch/consume are not used. */
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice,
			u64 enq_flags) __weak __ksym;
void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice,
			      u64 vtime, u64 enq_flags) __weak __ksym;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __weak __ksym;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __weak __ksym;
u32 scx_bpf_dispatch_nr_slots(void) __weak __ksym;
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __weak __ksym;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __weak __ksym;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed,
			  u64 flags) __weak __ksym;
s32 scx_bpf_task_cpu(const struct task_struct *p) __weak __ksym;
u32 scx_bpf_nr_cpu_ids(void) __weak __ksym;
struct task_struct *bpf_task_from_pid(s32 pid) __weak __ksym;
void bpf_task_release(struct task_struct *p) __weak __ksym;
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __weak __ksym;
int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id,
			 u64 flags) __weak __ksym;
struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __weak __ksym;
void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __weak __ksym;
bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
		      u64 dsq_id, u64 enq_flags) __weak __ksym;

/* The iterator a bpf_for_each(scx_dsq, ...) loop body moves tasks with. */
#define BPF_FOR_EACH_ITER	(&___it)

/* A bounded copy the verifier accepts for the exit record. */
static __always_inline void scxl_strcpy(char *dst, const char *src, u32 len)
{
	bpf_probe_read_kernel_str(dst, len, src);
}

#endif /* SCX_COMMON_BPF_H */
