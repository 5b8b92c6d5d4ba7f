// SPDX-License-Identifier: GPL-2.0
/*
 * scxlive's -p @FILE and the parameter-file walker both hosts share
 * (policy_param_next), and live/kernel.c's reading of sched_ext's enums
 * from BTF, on a BTF built here by hand: a kernel that numbers things
 * differently must be read as it numbers them, and a 64-bit enum that lost
 * its high half must be refused, not used.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "live/args.h"
#include "live/kernel.h"
#include "sim/tune/paramfile.h"
#include "tests/suites.h"

/* Items of text, joined with '|', and their line numbers with ','. */
static void walk(const char *text, char *items, char *lines)
{
	size_t pos = 0, n;
	unsigned int line = 0;
	const char *item;

	items[0] = lines[0] = '\0';
	while ((n = policy_param_next(text, strlen(text), &pos, &line, &item))) {
		sprintf(items + strlen(items), "%s%.*s", *items ? "|" : "", (int)n, item);
		sprintf(lines + strlen(lines), "%s%u", *lines ? "," : "", line);
	}
}

START_TEST(param_file_lines)
{
	char items[256], lines[64];

	walk("", items, lines);
	ck_assert_str_eq(items, "");
	walk("a=1", items, lines);		/* no final newline */
	ck_assert_str_eq(items, "a=1");
	ck_assert_str_eq(lines, "1");
	walk("# tuned\n\n  lowlat.slice_max=2ms  \r\n\t#x=1\nb=2\n", items, lines);
	ck_assert_str_eq(items, "lowlat.slice_max=2ms|b=2");
	ck_assert_str_eq(lines, "3,5");
	/* A '#' after an item is no comment: the item keeps it (and fails). */
	walk("a=1 # one\n", items, lines);
	ck_assert_str_eq(items, "a=1 # one");
	walk("\n\n\n   \n#\n", items, lines);
	ck_assert_str_eq(items, "");
}
END_TEST

static char tmpdir[64];

static const char *write_file(const char *name, const char *text, size_t len)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

static const char *write_text(const char *name, const char *text)
{
	return write_file(name, text, strlen(text));
}

static int parse(struct live_args *a, char *err, const char *const *argv)
{
	int argc = 0;
	char *v[16];

	for (; argv[argc]; argc++)
		v[argc] = (char *)argv[argc];
	v[argc] = NULL;
	err[0] = '\0';
	return live_args_parse(a, argc, v, err, 256);
}

static void setup(void)
{
	strcpy(tmpdir, "/tmp/scxlive-args-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(param_file_sets_params)
{
	static const char text[] =
		"# lowlat, from a tuning run\n"
		"lowlat.slice_max = 1\n";	/* blanks inside: refused below */
	static struct live_args a;
	struct policy_conf conf, want;
	char err[256], arg[160];
	const char *path;

	/* Bare keys and the running policy's prefix, in order, later wins. */
	path = write_text("ok.conf", "# comment\nslice_max=3ms\n\n"
			  "  lowlat.slice_min=100us\t\nslice_max=4ms\n");
	snprintf(arg, sizeof(arg), "@%s", path);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "lowlat",
		"-p", arg, NULL }), 0);
	ck_assert_msg(!err[0], "%s", err);
	ck_assert_int_eq(a.nr_kv, 3);
	ck_assert_str_eq(a.kv[1].text, "lowlat.slice_min=100us");
	ck_assert_uint_eq(a.kv[1].line, 4);
	policy_conf_defaults(&conf, a.ops, 2, 16);
	ck_assert_int_eq(live_args_conf(&a, &conf, err, sizeof(err)), 0);
	/* The same values given as -p on the command line. */
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "lowlat",
		"-p", "slice_max=4ms", "-p", "slice_min=100us", NULL }), 0);
	policy_conf_defaults(&want, a.ops, 2, 16);
	ck_assert_int_eq(live_args_conf(&a, &want, err, sizeof(err)), 0);
	ck_assert_mem_eq(conf.param, want.param, sizeof(conf.param));

	/* A bad line is named by file and line. */
	path = write_file("bad.conf", text, sizeof(text) - 1);
	snprintf(arg, sizeof(arg), "@%s", path);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "lowlat",
		"-p", arg, NULL }), -1);
	ck_assert_msg(strstr(err, "bad.conf:2: lowlat.slice_max = 1"), "%s", err);
}
END_TEST

START_TEST(param_file_errors)
{
	static struct live_args a;
	char err[256], arg[160];
	const char *path;

	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive",
		"-p", "@/nonexistent/x.conf", NULL }), -1);
	ck_assert_msg(strstr(err, "/nonexistent/x.conf") &&
		      strstr(err, strerror(ENOENT)), "%s", err);

	/* Another policy's line: refused, as scxsim refuses an unreplayed one. */
	path = write_text("other.conf", "eevdf.slice=3ms\n");
	snprintf(arg, sizeof(arg), "@%s", path);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", arg, NULL }), -1);
	ck_assert_msg(strstr(err, "other.conf:1:") &&
		      strstr(err, "policy 'eevdf' is not the one that runs"), "%s", err);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", "lowlat.slice_max=1ms", NULL }), -1);
	ck_assert_msg(strstr(err, "-p lowlat.slice_max=1ms: policy 'lowlat'"), "%s", err);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", "fifo.slice=1ms", NULL }), 0);

	path = write_file("nul.conf", "slice=1ms\n\0x", 12);
	snprintf(arg, sizeof(arg), "@%s", path);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", arg, NULL }), -1);
	ck_assert_msg(strstr(err, "not a text file"), "%s", err);

	path = write_text("nokey.conf", "\n\nslice=1ms\nnokey=1\n");
	snprintf(arg, sizeof(arg), "@%s", path);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", arg, NULL }), -1);
	ck_assert_msg(strstr(err, "nokey.conf:4: nokey=1: no such parameter"), "%s", err);
}
END_TEST

START_TEST(param_file_too_big)
{
	static struct live_args a;
	static char big[LIVE_KV_FILE_MAX + 10];
	char err[256], arg[160];
	const char *path;

	memset(big, '#', sizeof(big));
	path = write_file("big.conf", big, sizeof(big));
	snprintf(arg, sizeof(arg), "@%s", path);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-p", arg,
		NULL }), -1);
	ck_assert_msg(strstr(err, "too large"), "%s", err);
	/* More items than the list holds: a clear error, not an overflow. */
	big[0] = '\0';
	for (int i = 0; i <= LIVE_MAX_KV; i++)
		strcat(big, "slice=1ms\n");
	path = write_file("many.conf", big, strlen(big));
	snprintf(arg, sizeof(arg), "@%s", path);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", arg, NULL }), -1);
	ck_assert_msg(strstr(err, "too many -p items"), "%s", err);
}
END_TEST

/*
 * One file, two readers: scxsim's (sim/tune/paramfile.c) and scxlive's
 * must take the same items from it, in the same order, and refuse the same
 * files, so a tuned file moves from replay to the live scheduler as it is.
 */
START_TEST(param_file_same_as_scxsim)
{
	static const char *const files[] = {
		"lowlat.slice_max=2ms\n",
		"# tuned\n\n  lowlat.slice_max=2ms \t\n\t# x\nlowlat.boost=70\r\n",
		"\n\n#only comments\n   \n",
		"lowlat.slice_max=2ms # not a comment\n",
	};
	static struct live_args a;
	char err[256], arg[160];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *path = write_text("same.conf", files[i]);
		size_t n = 0;
		char **sim = paramfile_load(path, &n, err, sizeof(err));
		int live_ok;

		ck_assert_msg(sim, "file %zu: %s", i, err);
		snprintf(arg, sizeof(arg), "@%s", path);
		live_ok = parse(&a, err, (const char *[]){ "scxlive", "-P", "lowlat",
			"-p", arg, NULL });
		ck_assert_int_eq(a.nr_kv, (int)n);
		for (size_t k = 0; k < n; k++)
			ck_assert_str_eq(a.kv[k].text, sim[k]);
		/* Both accept the file's shape; only the last one's value is bad. */
		ck_assert_int_eq(live_ok, i == 3 ? -1 : 0);
		free(sim);
	}
}
END_TEST

START_TEST(stats_socket_option)
{
	static struct live_args a;
	char err[256];

	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", NULL }), 0);
	ck_assert_str_eq(a.stats_socket, "/var/run/scx/root/stats");
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive",
		"--stats-socket", "", NULL }), 0);
	ck_assert_str_eq(a.stats_socket, "");
}
END_TEST

/* A kernel BTF in miniature, numbered unlike the real one. */
static struct btf *fake_btf(bool truncated_ecode)
{
	struct btf *btf = btf__new_empty();
	int fn_proto;

	ck_assert_ptr_nonnull(btf);
	ck_assert_int_gt(btf__add_enum(btf, "scx_exit_kind", 4), 0);
	ck_assert_int_eq(btf__add_enum_value(btf, "SCX_EXIT_NONE", 0), 0);
	ck_assert_int_eq(btf__add_enum_value(btf, "SCX_EXIT_UNREG", 80), 0);
	ck_assert_int_eq(btf__add_enum_value(btf, "SCX_EXIT_ERROR_STALL", 1030), 0);
	ck_assert_int_gt(btf__add_enum64(btf, "scx_ops_flags", 8, false), 0);
	ck_assert_int_eq(btf__add_enum64_value(btf, "SCX_OPS_KEEP_BUILTIN_IDLE", 1), 0);
	ck_assert_int_eq(btf__add_enum64_value(btf, "SCX_OPS_SWITCH_PARTIAL", 32), 0);
	if (truncated_ecode) {
		/* What pahole without ENUM64 writes: 8 bytes, 32-bit values. */
		ck_assert_int_gt(btf__add_enum(btf, "scx_exit_code", 8), 0);
		ck_assert_int_eq(btf__add_enum_value(btf, "SCX_ECODE_ACT_RESTART", 0), 0);
	} else {
		ck_assert_int_gt(btf__add_enum64(btf, "scx_exit_code", 8, false), 0);
		ck_assert_int_eq(btf__add_enum64_value(btf, "SCX_ECODE_RSN_HOTPLUG",
						       1ULL << 32), 0);
		ck_assert_int_eq(btf__add_enum64_value(btf, "SCX_ECODE_ACT_RESTART",
						       1ULL << 49), 0);
	}
	fn_proto = btf__add_func_proto(btf, 0);
	ck_assert_int_gt(fn_proto, 0);
	ck_assert_int_gt(btf__add_func(btf, "scx_bpf_dsq_insert", BTF_FUNC_GLOBAL,
				       fn_proto), 0);
	return btf;
}

START_TEST(kernel_enums_from_btf)
{
	static const char *const kfuncs[] = { "scx_bpf_dsq_insert", NULL };
	static const char *const newer[] = { "scx_bpf_dsq_insert",
					     "scx_bpf_dsq_move_to_local", NULL };
	struct btf *btf = fake_btf(false);
	struct kernel_scx k;
	const char *missing;
	uint64_t v;

	ck_assert_int_eq(kernel_enum(btf, "scx_exit_kind", "SCX_EXIT_UNREG", &v), 0);
	ck_assert_uint_eq(v, 80);
	ck_assert_int_eq(kernel_enum(btf, "scx_exit_kind", "SCX_EXIT_NOPE", &v), -ENOENT);
	ck_assert_int_eq(kernel_enum(btf, "no_such_enum", "X", &v), -ENOENT);
	ck_assert_str_eq(kernel_enum_name(btf, "scx_exit_kind", "SCX_EXIT_", 1030),
			 "ERROR_STALL");
	ck_assert_str_eq(kernel_enum_name(btf, "scx_exit_kind", NULL, 80),
			 "SCX_EXIT_UNREG");
	ck_assert_ptr_null(kernel_enum_name(btf, "scx_exit_kind", "SCX_EXIT_", 64));
	ck_assert(kernel_has_func(btf, "scx_bpf_dsq_insert"));
	ck_assert(!kernel_has_func(btf, "scx_bpf_dispatch"));

	ck_assert_int_eq(kernel_scx_read(btf, kfuncs, &k, &missing), 0);
	ck_assert_uint_eq(k.switch_partial, 32);
	ck_assert_uint_eq(k.exit_unreg, 80);
	ck_assert_uint_eq(k.ecode_restart, 1ULL << 49);
	ck_assert_uint_eq(k.nr_kinds, 3);
	ck_assert_str_eq(kernel_exit_kind_name(&k, 80), "UNREG");
	ck_assert_str_eq(kernel_exit_kind_name(&k, 1030), "ERROR_STALL");
	ck_assert_str_eq(kernel_exit_kind_name(&k, 64), "UNKNOWN");
	/* The action bits decide, whatever reason and user bits ride along. */
	ck_assert(kernel_ecode_restart((int64_t)((1ULL << 49) | (1ULL << 32) | 7),
				       k.ecode_restart));
	ck_assert(!kernel_ecode_restart((int64_t)(1ULL << 32), k.ecode_restart));
	ck_assert(!kernel_ecode_restart((int64_t)(1ULL << 48), k.ecode_restart));
	ck_assert(!kernel_ecode_restart((int64_t)(1ULL << 49), 0));

	ck_assert_int_eq(kernel_scx_read(btf, newer, &k, &missing), -ENOENT);
	ck_assert_str_eq(missing, "scx_bpf_dsq_move_to_local");
	btf__free(btf);

	/* A cut-down 64-bit enum: no value at all, so no restart. */
	btf = fake_btf(true);
	ck_assert_int_eq(kernel_enum(btf, "scx_exit_code", "SCX_ECODE_ACT_RESTART", &v),
			 -ERANGE);
	ck_assert_int_eq(kernel_scx_read(btf, kfuncs, &k, &missing), 0);
	ck_assert_uint_eq(k.ecode_restart, 0);
	btf__free(btf);

	/* No BTF at all is "missing", never a crash. */
	ck_assert_int_eq(kernel_scx_read(NULL, NULL, &k, &missing), -ENOENT);
	ck_assert_str_eq(missing, "SCX_OPS_SWITCH_PARTIAL");
}
END_TEST

Suite *live_args_suite(void)
{
	Suite *s = suite_create("live_args");
	TCase *tc = tcase_create("params");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, param_file_lines);
	tcase_add_test(tc, param_file_sets_params);
	tcase_add_test(tc, param_file_errors);
	tcase_add_test(tc, param_file_too_big);
	tcase_add_test(tc, param_file_same_as_scxsim);
	tcase_add_test(tc, stats_socket_option);
	suite_add_tcase(s, tc);
	tc = tcase_create("kernel");
	tcase_add_test(tc, kernel_enums_from_btf);
	suite_add_tcase(s, tc);
	return s;
}
