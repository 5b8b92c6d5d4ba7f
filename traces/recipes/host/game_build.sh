#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# game_build on this machine's real CPUs (not a guest recipe: run it on the
# host, from the top of the checkout, as root):
#
#   sh traces/recipes/host/game_build.sh [OUT.dat]    # default traces/game_build.dat
#
# A 60 Hz frame loop (1 ms of render work per frame) during a real parallel
# build: `make -j3` with gcc -O2 -g of this project's own C sources as
# committed (libpolicy, libsim, liblive, scxsim and the unit tests; not the
# BPF side, which is clang's), in a scratch copy. The frame loop starts 2 s
# into the build and stops when the build ends. traces/record takes the
# ftrace route where trace-cmd record is refused and leaves out
# sched_stat_runtime (the runtime then comes from the switches): on a
# shared machine every other job is in the trace too, and it must stay a
# few MB at most. What the workloads measured goes to OUT.txt.
#
# GAME_RECORD replaces the recorder: a command that takes the output file
# and then `-- COMMAND`, e.g. GAME_RECORD='perf record -q -a -e sched:* -o'
# (how `make bench-data` makes a big perf.data of the same workload), and
# GAME_BUILDS=N runs the build N times in a row (default 1), each from
# scratch, for a longer trace of the same workload.
set -euf
cd "$(dirname "$0")/../../.."
out=${1:-traces/game_build.dat}
make -s workloads > /dev/null
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git archive HEAD | tar -xf - -C "$src"
W=$PWD/build/workloads
cat > "$src/game.sh" <<GAME
cd $src
t0=\$(date +%s.%N)
for i in \$(seq ${GAME_BUILDS:-1}); do
	rm -rf gb
	make -s -j3 B=gb gb/scxsim gb/liblive.a gb/tests/check_all > build.log 2>&1 || exit
done &
mk=\$!
sleep 2
$W/frameloop -d 0 -w 1ms > $src/frameloop.txt &
fl=\$!
wait \$mk; rc=\$?
echo "build: ${GAME_BUILDS:-1} x make -j3 of \$(find gb -name '*.o' | wc -l) objects, status \$rc," \
     "\$(echo "\$(date +%s.%N) - \$t0" | bc) s" > $src/build.txt
kill -TERM \$fl
wait \$fl
exit \$rc
GAME
${GAME_RECORD:-traces/record --no-stat-runtime -o} "$out" -- sh "$src/game.sh"
cat "$src/build.txt" "$src/frameloop.txt" | tee "${out%.dat}.txt"
