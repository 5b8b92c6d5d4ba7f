# SPDX-License-Identifier: GPL-2.0
# msgstorm: hackbench-like messaging, 2 groups of 10 senders x 10 receivers
# over socketpairs, rounds repeated for 3 s.
. traces/recipes/common.sh
traces/record --file-version 7 -o $OUT/msgstorm.dat -- \
	sh -c "$W/msgstorm -g 2 -f 10 -l 20 -d 3 > $OUT/msgstorm.txt"
