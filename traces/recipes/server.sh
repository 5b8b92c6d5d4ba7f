# SPDX-License-Identifier: GPL-2.0
# server: a dispatcher hands Poisson-arriving requests (300/s, 50-500 us of
# CPU each) to 4 worker threads for 5 s.
. traces/recipes/common.sh
traces/record --file-version 7 -o $OUT/server.dat -- \
	sh -c "$W/server -d 5 -w 4 -r 300 > $OUT/server.txt"
