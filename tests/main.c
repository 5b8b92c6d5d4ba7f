// SPDX-License-Identifier: GPL-2.0
/*
 * One Check runner for every unit suite, so `make test` prints one Check
 * summary line. Set CK_RUN_SUITE=name to run one suite; CK_FORK=no to debug.
 * The TAP log (CK_TAP_LOG_FILE_NAME) feeds tests/summary.
 */
#include <stdlib.h>

#include "tests/suites.h"

int main(void)
{
	Suite *(*const suites[])(void) = {
		policy_suite,
		model_suite,
		engine_suite,
		engine_fixtures_suite,
		cli_suite,
		engine_accuracy_suite,
		metrics_suite,
		trace_suite,
		trace_bad_suite,
		recorded_suite,
		trace_cli_suite,
		live_suite,
		live_same_suite,
		live_measure_suite,
		live_build_suite,
		live_faults_suite,
		live_lat_suite,
		release_suite,
		metrics_steps_suite,
		live_args_suite,
		live_stats_suite,
		tune_suite,
		tune_cli_suite,
		contract_suite,
		layout_suite,
		timeline_suite,
		explain_suite,
	};
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
