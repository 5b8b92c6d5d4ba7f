// SPDX-License-Identifier: GPL-2.0
/*
 * The folders are the architecture (README.md, "What each folder may
 * include"): a reader never reaches into the model, the model never into
 * the engine, live/ never into sim/. This holds the code to that table, so
 * a shortcut across the data flow fails here instead of growing quietly.
 */
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tests/suites.h"

static const struct {
	const char *files;		/* glob */
	const char *may[6];		/* include prefixes; NULL-ended */
} rules[] = {
	{ "policy/*.[ch]", { "policy/" } },
	{ "sim/trace/*.[ch]", { "sim/trace/" } },
	{ "sim/model/*.[ch]", { "sim/model/", "sim/trace/trace.h",
				"policy/policy.h" } },
	{ "sim/engine/*.[ch]", { "sim/engine/", "sim/model/", "policy/",
				 "sim/report/metrics.h" } },
	{ "sim/report/*.[ch]", { "sim/report/", "sim/trace/trace.h",
				 "sim/model/", "sim/engine/engine.h" } },
	{ "sim/explain/*.[ch]", { "sim/explain/", "sim/trace/trace.h",
				  "sim/model/", "sim/engine/", "sim/report/" } },
	{ "sim/tune/*.[ch]", { "sim/", "policy/policy.h" } },
	{ "sim/*.[ch]", { "sim/", "policy/policy.h" } },
	{ "live/*.[ch]", { "live/", "policy/", "bpf/intf.h",
			   "bpf/scxlive.skel.h" } },
	{ "bpf/*.[ch]", { "bpf/" } },
};

/* The project include on line l ("#include "x""), or NULL. */
static const char *project_include(const char *l, char *buf, size_t len)
{
	const char *q;
	size_t n;

	while (*l == ' ' || *l == '\t')
		l++;
	if (strncmp(l, "#include \"", 10))
		return NULL;
	l += 10;
	q = strchr(l, '"');
	n = q ? (size_t)(q - l) : 0;
	if (!n || n >= len)
		return NULL;
	memcpy(buf, l, n);
	buf[n] = '\0';
	return buf;
}

static bool allowed(const char *const *may, const char *inc)
{
	for (size_t i = 0; may[i]; i++)
		if (!strncmp(inc, may[i], strlen(may[i])))
			return true;
	return false;
}

START_TEST(includes_follow_the_data_flow)
{
	size_t files = 0;

	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		glob_t g;

		ck_assert_int_eq(glob(rules[r].files, 0, NULL, &g), 0);
		for (size_t i = 0; i < g.gl_pathc; i++) {
			FILE *f = fopen(g.gl_pathv[i], "r");
			char line[512], inc[256];

			ck_assert_msg(f, "cannot open %s", g.gl_pathv[i]);
			files++;
			while (fgets(line, sizeof(line), f)) {
				const char *p = project_include(line, inc,
								sizeof(inc));

				ck_assert_msg(!p || allowed(rules[r].may, p),
					      "%s includes \"%s\", outside what "
					      "%s may include", g.gl_pathv[i], p,
					      rules[r].files);
			}
			fclose(f);
		}
		globfree(&g);
	}
	ck_assert_uint_gt(files, 40);
}
END_TEST

/* The checker itself: it sees an include across the flow. */
START_TEST(a_crossing_include_is_seen)
{
	char inc[256];
	const char *p = project_include("#include \"sim/engine/engine.h\"\n",
					inc, sizeof(inc));

	ck_assert_ptr_nonnull(p);
	ck_assert(!allowed(rules[1].may, p));	/* sim/trace/ */
	ck_assert(allowed(rules[4].may, p));	/* sim/report/ */
	ck_assert_ptr_null(project_include("#include <stdio.h>\n", inc,
					   sizeof(inc)));
}
END_TEST

Suite *layout_suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, includes_follow_the_data_flow);
	tcase_add_test(tc, a_crossing_include_is_seen);
	suite_add_tcase(s, tc);
	return s;
}
