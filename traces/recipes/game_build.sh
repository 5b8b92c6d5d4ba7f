# SPDX-License-Identifier: GPL-2.0
# game_build: a 60 Hz frame loop (3 ms of render work per frame) while a
# real parallel build runs: make -j3 with gcc -O2 compiling this project's
# own C sources, over and over, for as long as the frame loop runs.
. traces/recipes/common.sh
cp -a /work/buildsrc /tmp/build
cat > /tmp/game.sh <<GAME
$W/frameloop -d 12 > $OUT/frameloop.txt &
fl=\$!
cd /tmp/build
builds=0
while kill -0 \$fl 2>/dev/null; do
	make -s -j3 clean all || exit 1
	builds=\$((builds + 1))
done
wait \$fl
echo "builds: \$builds complete make -j3 runs" > $OUT/build.txt
GAME
traces/record --file-version 7 -o $OUT/game_build.dat -- sh /tmp/game.sh
