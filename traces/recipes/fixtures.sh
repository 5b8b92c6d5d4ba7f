# SPDX-License-Identifier: GPL-2.0
# Reader fixtures: the same few seconds of mixed work (a frame loop, an idle
# desktop, exec'ing forks, a short message storm) as trace-cmd .dat v6 and
# v7+zstd, small enough to sit in tests/fixtures/dat.
. traces/recipes/common.sh
cat > /tmp/mix.sh <<MIX
$W/frameloop -d 2 -q &
$W/desktop -d 2 -t 2 &
$W/forker -d 1.5 -r 20 -e &
$W/msgstorm -g 1 -f 3 -l 10
wait
MIX
traces/record --file-version 6 -o $OUT/small-v6.dat -- sh /tmp/mix.sh
traces/record --file-version 7 -o $OUT/small-v7.dat -- sh /tmp/mix.sh
