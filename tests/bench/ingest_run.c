// SPDX-License-Identifier: GPL-2.0
/*
 * Ingestion alone, for tests/bench/ingest: open a trace, stream every
 * event through the recorded (perf sched latency) accounting, print the
 * event count and the TOTAL row. No model, no policy, no report - the
 * part of scxsim this bench is about.
 */
#include <stdio.h>

#include "sim/report/recorded.h"

int main(int argc, char **argv)
{
	struct trace_reader *r;
	struct result *res;
	char err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: ingest_run TRACE\n");
		return 2;
	}
	r = trace_open(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "ingest_run: %s: %s\n", argv[1], err);
		return 2;
	}
	if (recorded_run(r, &res, err, sizeof(err))) {
		fprintf(stderr, "ingest_run: %s: %s\n", argv[1], err);
		trace_close(r);
		return 2;
	}
	printf("%llu events, %llu delays, total runtime %llu ns\n",
	       (unsigned long long)trace_info(r)->events,
	       (unsigned long long)res->total.count,
	       (unsigned long long)res->total.runtime_ns);
	result_free(res);
	trace_close(r);
	return 0;
}
