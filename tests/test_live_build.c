// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF side builds: bpf/scxlive.bpf.c through the project's own rules
 * (bpf/build.mk) into a throw-away build folder, its skeleton generated and
 * post-processed for libbpf 1.4, and live/main.c compiled against it.
 * `make` would catch this too, but only where clang-19 and bpftool exist;
 * this test says so loudly: it skips without them, and fails without them
 * when CI=true, where they must be installed.
 */
#include <stdbool.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/suites.h"

static bool have(const char *cmd)
{
	char line[256];

	snprintf(line, sizeof(line), "command -v %s >/dev/null 2>&1 || "
		 "test -x /usr/sbin/%s", cmd, cmd);
	return system(line) == 0;
}

static bool file_has(const char *path, const char *needle)
{
	static char buf[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f, "%s was not generated", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, needle) != NULL;
}

START_TEST(bpf_object_and_skeleton_build)
{
	char dir[] = "/tmp/scxlive-build-XXXXXX";
	char cmd[1024], path[512];
	const char *allow = getenv("SCX_ALLOW_SKIP");

	/*
	 * Check's TAP has no skip: a test that cannot run fails, unless the
	 * caller allowed this one by name, as tests/summary allows skips.
	 */
	if (!have("clang-19") || !have("bpftool")) {
		ck_assert_msg(allow && strstr(allow, "live-build"),
			      "clang-19 or bpftool missing (make deps; or "
			      "SCX_ALLOW_SKIP=live-build)");
		fprintf(stderr, "live_build: skipped (SCX_ALLOW_SKIP), "
			"clang-19 or bpftool missing\n");
		return;
	}
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "make -s --no-print-directory B=%s "
		 "%s/bpf/scxlive.skel.h %s/live/main.o >%s.log 2>&1",
		 dir, dir, dir, dir);
	ck_assert_msg(system(cmd) == 0, "BPF build failed, see %s.log", dir);

	snprintf(path, sizeof(path), "%s/bpf/scxlive.bpf.o", dir);
	ck_assert_msg(access(path, R_OK) == 0, "no %s", path);
	snprintf(path, sizeof(path), "%s/bpf/scxlive.skel.h", dir);
	ck_assert(file_has(path, "scxlive__open"));
	ck_assert(file_has(path, "scxlive_ops"));
	ck_assert_msg(!file_has(path, "map->link ="),
		      "skeleton still sets map->link (libbpf >= 1.5 only)");
	snprintf(path, sizeof(path), "%s/live/main.o", dir);
	ck_assert_msg(access(path, R_OK) == 0, "no %s", path);

	snprintf(cmd, sizeof(cmd), "rm -rf %s %s.log", dir, dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *live_build_suite(void)
{
	Suite *s = suite_create("live_build");
	TCase *tc = tcase_create("bpf");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, bpf_object_and_skeleton_build);
	suite_add_tcase(s, tc);
	return s;
}
