/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running kernel says about sched_ext, read from its own BTF
 * (/sys/kernel/btf/vmlinux) rather than from numbers compiled in: the
 * values of scx_ops_flags, scx_exit_kind and scx_exit_code, the kfuncs it
 * exports, and the sysfs hotplug sequence. This is the job the upstream
 * tools/sched_ext/include/scx/compat.h and user_exit_info.h helpers do for
 * the kernel's example schedulers (SCX_OPS_FLAG(), scx_hotplug_seq(),
 * UEI_ECODE_RESTART()); written here against libbpf's btf API, so a kernel
 * that renumbers an enum is read right and one that lacks a name says so.
 *
 * Everything takes the struct btf to read, so tests build one by hand.
 */
#ifndef SCX_LIVE_KERNEL_H
#define SCX_LIVE_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

struct btf;

#define SCX_SYSFS		"/sys/kernel/sched_ext"

/*
 * The value of enumerator NAME of enum TYPE: 0 and *val set, -ENOENT when
 * the type or the name is missing, -ERANGE when the kernel's BTF cut a
 * 64-bit enum to 32 bits (pahole without ENUM64) so the value is unknown.
 */
int kernel_enum(const struct btf *btf, const char *type, const char *name,
		uint64_t *val);

/*
 * The name of VAL in enum TYPE with PREFIX cut off ("SCX_EXIT_UNREG" ->
 * "UNREG" for prefix "SCX_EXIT_"), or NULL when no enumerator has it.
 */
const char *kernel_enum_name(const struct btf *btf, const char *type,
			     const char *prefix, uint64_t val);

/* True when the kernel exports a function (a kfunc) of that name. */
bool kernel_has_func(const struct btf *btf, const char *name);

/* /sys/kernel/sched_ext/hotplug_seq, or 0 when it cannot be read. */
uint64_t kernel_hotplug_seq(void);

/*
 * How a sched_ext exit code reads: bits 0-31 are the scheduler's own,
 * 32-47 the kernel's reason (SCX_ECODE_RSN_*), 48-63 the action it asks
 * for (SCX_ECODE_ACT_*). restart_code is SCX_ECODE_ACT_RESTART as this
 * kernel numbers it (0 if it has none: then nothing asks for a restart).
 */
#define KERNEL_ECODE_ACT_MASK	(0xffffULL << 48)

static inline bool kernel_ecode_restart(int64_t exit_code, uint64_t restart_code)
{
	return restart_code &&
	       ((uint64_t)exit_code & KERNEL_ECODE_ACT_MASK) == restart_code;
}

#define KERNEL_MAX_EXIT_KINDS	32

struct kernel_exit_kind {
	int64_t val;
	char name[28];			/* "UNREG" for SCX_EXIT_UNREG */
};

/*
 * The facts scxlive needs, copied out of BTF once at start, so the BTF
 * (megabytes) is freed before the daemon locks its memory.
 */
struct kernel_scx {
	uint64_t switch_partial;	/* SCX_OPS_SWITCH_PARTIAL */
	uint64_t exit_unreg;		/* SCX_EXIT_UNREG */
	uint64_t ecode_restart;		/* SCX_ECODE_ACT_RESTART */
	uint32_t nr_kinds;
	struct kernel_exit_kind kinds[KERNEL_MAX_EXIT_KINDS];	/* scx_exit_kind */
};

/* The name of an exit kind as this kernel calls it, or "UNKNOWN". */
const char *kernel_exit_kind_name(const struct kernel_scx *k, int64_t kind);

/*
 * Fill k from btf. 0, or -ENOENT with *missing naming the first thing this
 * kernel lacks (a kfunc in kfuncs[], NULL-terminated, or an enum value).
 */
int kernel_scx_read(const struct btf *btf, const char *const *kfuncs,
		    struct kernel_scx *k, const char **missing);

#endif /* SCX_LIVE_KERNEL_H */
