// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's sched_ext numbers, from its BTF (see live/kernel.h).
 * An enum may be BTF_KIND_ENUM (32-bit values) or BTF_KIND_ENUM64; an
 * 8-byte ENUM means the BTF was made without ENUM64 support and its values
 * lost their high half, which would turn SCX_ECODE_ACT_RESTART (1 << 48)
 * into 0: such a value is refused, never guessed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "live/kernel.h"

/*
 * Call fn(ctx, name, value) on each enumerator of enum TYPE until it returns
 * non-zero (that value is returned). -ENOENT without the type; -ERANGE, at
 * the enumerator fn stopped on, when BTF cut its 64-bit value short.
 */
static int each_enum(const struct btf *btf, const char *type,
		     int (*fn)(void *ctx, const char *name, uint64_t val), void *ctx)
{
	const struct btf_type *t;
	int id;

	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM);
	if (id < 0)
		id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM64);
	if (id < 0 || !(t = btf__type_by_id(btf, id)))
		return -ENOENT;
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *n;
		uint64_t v;
		int ret;

		if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t) + i;

			n = btf__name_by_offset(btf, e->name_off);
			v = btf_enum64_value(e);
		} else {
			const struct btf_enum *e = btf_enum(t) + i;

			n = btf__name_by_offset(btf, e->name_off);
			/* Signed per BTF's kflag; widen as the compiler would. */
			v = btf_kflag(t) ? (uint64_t)(int64_t)(int32_t)e->val :
					   (uint64_t)(uint32_t)e->val;
		}
		if (!n || !(ret = fn(ctx, n, v)))
			continue;
		return !btf_is_enum64(t) && t->size > 4 ? -ERANGE : ret;
	}
	return -ENOENT;
}

struct enum_find {
	const char *name;	/* look for this name ... */
	uint64_t val;		/* ... or, with name NULL, this value */
	const char *found;
};

static int find_one(void *ctx, const char *name, uint64_t val)
{
	struct enum_find *f = ctx;

	if (f->name ? strcmp(name, f->name) : val != f->val)
		return 0;
	f->found = name;
	f->val = val;
	return 1;
}

int kernel_enum(const struct btf *btf, const char *type, const char *name,
		uint64_t *val)
{
	struct enum_find f = { .name = name };
	int ret = each_enum(btf, type, find_one, &f);

	if (ret < 0)
		return ret;
	*val = f.val;
	return 0;
}

const char *kernel_enum_name(const struct btf *btf, const char *type,
			     const char *prefix, uint64_t val)
{
	struct enum_find f = { .val = val };
	size_t plen = prefix ? strlen(prefix) : 0;

	if (each_enum(btf, type, find_one, &f) < 0)
		return NULL;
	if (plen && !strncmp(f.found, prefix, plen) && f.found[plen])
		return f.found + plen;
	return f.found;
}

bool kernel_has_func(const struct btf *btf, const char *name)
{
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) >= 0;
}

uint64_t kernel_hotplug_seq(void)
{
	unsigned long long seq = 0;
	FILE *f = fopen(SCX_SYSFS "/hotplug_seq", "r");

	if (f) {
		if (fscanf(f, "%llu", &seq) != 1)
			seq = 0;
		fclose(f);
	}
	return seq;
}

static int keep_kind(void *ctx, const char *name, uint64_t val)
{
	struct kernel_scx *k = ctx;
	struct kernel_exit_kind *e = &k->kinds[k->nr_kinds];
	size_t plen = strlen("SCX_EXIT_");

	if (k->nr_kinds == KERNEL_MAX_EXIT_KINDS)
		return 1;
	if (!strncmp(name, "SCX_EXIT_", plen) && name[plen])
		name += plen;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->val = (int64_t)val;
	k->nr_kinds++;
	return 0;
}

const char *kernel_exit_kind_name(const struct kernel_scx *k, int64_t kind)
{
	for (uint32_t i = 0; i < k->nr_kinds; i++)
		if (k->kinds[i].val == kind)
			return k->kinds[i].name;
	return "UNKNOWN";
}

int kernel_scx_read(const struct btf *btf, const char *const *kfuncs,
		    struct kernel_scx *k, const char **missing)
{
	memset(k, 0, sizeof(*k));
	*missing = NULL;
	for (; kfuncs && *kfuncs; kfuncs++) {
		if (!kernel_has_func(btf, *kfuncs)) {
			*missing = *kfuncs;
			return -ENOENT;
		}
	}
	if (kernel_enum(btf, "scx_ops_flags", "SCX_OPS_SWITCH_PARTIAL",
			&k->switch_partial))
		*missing = "SCX_OPS_SWITCH_PARTIAL";
	else if (kernel_enum(btf, "scx_exit_kind", "SCX_EXIT_UNREG", &k->exit_unreg))
		*missing = "SCX_EXIT_UNREG";
	if (*missing)
		return -ENOENT;
	each_enum(btf, "scx_exit_kind", keep_kind, k);
	/* Optional: a kernel that cannot ask for a restart never does. */
	if (kernel_enum(btf, "scx_exit_code", "SCX_ECODE_ACT_RESTART",
			&k->ecode_restart))
		k->ecode_restart = 0;
	return 0;
}
