# SPDX-License-Identifier: GPL-2.0
# game_build: a 60 Hz frame loop (3 ms of render work per frame) for the
# whole of a real parallel build: one make -j3 with gcc -O2 -g compiling this
# project's own policy/ and workload sources (staged by record-in-guest).
. traces/recipes/common.sh
cp -a /work/buildsrc /tmp/build
cat > /tmp/game.sh <<GAME
$W/frameloop -d 0 > $OUT/frameloop.txt &
fl=\$!
sleep 1
cd /tmp/build
t0=\$(cut -d' ' -f1 /proc/uptime)
make -s -j3 all; rc=\$?
echo "build: make -j3 of \$(ls */*.c */*/*.c 2>/dev/null | wc -l) files," \
     "status \$rc, \$t0 -> \$(cut -d' ' -f1 /proc/uptime) s" > $OUT/build.txt
sleep 1
kill -TERM \$fl
wait \$fl
exit \$rc
GAME
traces/record --file-version 7 -o $OUT/game_build.dat -- sh /tmp/game.sh
