# SPDX-License-Identifier: GPL-2.0
# The replay-accuracy corpus in the guest: every workload of
# tests/fixtures/corpus/workloads.sh recorded on its own, as
# guest-WORKLOAD.dat (record-in-guest copies them to tests/fixtures/corpus/).
# CORPUS (a list of workload names) picks some of them.
. traces/recipes/common.sh
. tests/fixtures/corpus/workloads.sh
MACHINE=guest
export W MACHINE
for w in ${CORPUS:-$CORPUS_WORKLOADS}; do
	traces/record --file-version 7 -o $OUT/guest-$w.dat -- \
		sh -c ". tests/fixtures/corpus/workloads.sh && corpus_$w" \
		> $OUT/guest-$w.txt 2>&1 || exit 1
	tail -n 1 $OUT/guest-$w.txt
done
