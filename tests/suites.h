/* SPDX-License-Identifier: GPL-2.0 */
/* Every Check suite of the project; tests/main.c runs them all in one runner. */
#ifndef SCX_TESTS_SUITES_H
#define SCX_TESTS_SUITES_H

#include <check.h>

Suite *policy_suite(void);
Suite *model_suite(void);
Suite *engine_suite(void);
Suite *engine_fixtures_suite(void);
Suite *cli_suite(void);
Suite *engine_accuracy_suite(void);
Suite *metrics_suite(void);
Suite *trace_suite(void);
Suite *trace_bad_suite(void);
Suite *recorded_suite(void);
Suite *trace_cli_suite(void);
Suite *live_suite(void);
Suite *live_same_suite(void);
Suite *live_measure_suite(void);
Suite *live_build_suite(void);
Suite *live_faults_suite(void);
Suite *live_lat_suite(void);
Suite *release_suite(void);
Suite *metrics_steps_suite(void);
Suite *live_args_suite(void);
Suite *live_stats_suite(void);
Suite *tune_suite(void);
Suite *tune_cli_suite(void);
Suite *contract_suite(void);
Suite *layout_suite(void);

Suite *timeline_suite(void);
Suite *explain_suite(void);

#endif
