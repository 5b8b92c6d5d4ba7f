# SPDX-License-Identifier: GPL-2.0
# desktop: mostly idle; 4 clients wake every ~80 ms (exponential) for
# 0.1-2 ms bursts, 5% heavy (10-20 ms), each posting to a compositor; 8 s.
. traces/recipes/common.sh
traces/record --file-version 7 -o $OUT/desktop.dat -- \
	sh -c "$W/desktop -d 8 -t 4 > $OUT/desktop.txt"
