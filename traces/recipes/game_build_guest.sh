# SPDX-License-Identifier: GPL-2.0
# game_build_guest: a 60 Hz frame loop (1 ms of render work per frame) while a
# real parallel build runs: one make -j3 with gcc -O2 -g compiling this
# project's own policy/ sources (staged by record-in-guest). The frame loop
# starts 3 s into the build and stops when the build is done.
#
# The guest's CPUs are emulated (TCG, both vCPUs on one host thread) and
# share the host with whatever else runs there, so under load guest work
# runs many times slower than when the guest is idle, while guest time is
# the host's wall clock. Starting the frame loop under the build makes its
# calibration (wl_calibrate: work per microsecond) reflect that speed, so a
# "1 ms" frame is about 1 ms of CPU in the trace, as in a real game.
. traces/recipes/common.sh
cp -a /work/buildsrc /tmp/build
cat > /tmp/game.sh <<GAME
cd /tmp/build
t0=\$(cut -d' ' -f1 /proc/uptime)
make -s -j3 all &
mk=\$!
sleep 3
$W/frameloop -d 0 -w 1ms > $OUT/frameloop.txt &
fl=\$!
wait \$mk; rc=\$?
echo "build: make -j3 of \$(ls */*.c 2>/dev/null | wc -l) files," \
     "status \$rc, \$t0 -> \$(cut -d' ' -f1 /proc/uptime) s" > $OUT/build.txt
kill -TERM \$fl
wait \$fl
exit \$rc
GAME
traces/record --file-version 7 -o $OUT/game_build_guest.dat -- sh /tmp/game.sh
