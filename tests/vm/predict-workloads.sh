# SPDX-License-Identifier: GPL-2.0
#
# The workloads tests/vm/predict holds scxsim's predictions against, as shell
# functions (busybox sh, in the guest; WL names the static workloads, SECS
# the length). Each ends when its work is done, so the CPU-bound comm's
# completion says how fast a policy got through it. Keep them unlike each
# other: a timer-woken frame loop against burners, the same against a real
# compiler, a storm of task-to-task wakeups, and a request chain.
wl_framehog() {	# the frame loop against burners that outlive it
	$WL/hog -n 2 -d $((SECS + 1)) > /dev/null &
	$WL/frameloop -d $SECS -w 1ms -q
	wait
}
wl_gamebuild() {	# the frame loop while make -j3 runs gcc (staged in /work/buildsrc)
	rm -rf /tmp/build && cp -a /work/buildsrc /tmp/build || return 1
	(cd /tmp/build && make -s -j3 all) &
	mk=$!
	sleep 1
	$WL/frameloop -d 0 -w 1ms -q &
	fl=$!
	wait $mk
	kill -TERM $fl
	wait $fl
}
wl_msgstorm() {	# hackbench-like: 2 groups of 10 x 10 over socketpairs, fixed work
	$WL/msgstorm -g 2 -f 10 -l $((SECS * 25)) > /dev/null
}
wl_server() {	# a dispatcher handing Poisson requests to 4 workers
	$WL/server -d $SECS -w 4 -r 300 > /dev/null
}

# The calibration set of `make live-costs`: other shapes than the matrix's,
# so the matrix tests costs measured elsewhere. An idle desktop alone (the
# daemon and wakeups on a quiet machine), the desktop with a burner, the
# desktop with a burner on every CPU (the daemon must preempt a busy CPU
# while every CPU is busy), forks against a burner, and one pipe's stream
# of messages.
wl_calib_quiet() {
	$WL/desktop -d $SECS -t 8 -i 15ms -s 2 > /dev/null
}
wl_calib_desktop() {
	$WL/hog -n 1 -d $SECS > /dev/null &
	$WL/desktop -d $SECS -t 6 -i 20ms > /dev/null
	wait
}
wl_calib_busy() {
	$WL/hog -n 2 -d $SECS > /dev/null &
	$WL/desktop -d $SECS -t 4 -i 10ms > /dev/null
	wait
}
wl_calib_forker() {
	$WL/hog -n 1 -d $SECS > /dev/null &
	$WL/forker -d $SECS -r 100 -w 300us > /dev/null
	wait
}
wl_calib_pipe() {	# busy every instant: under -icount the slowest to run
	$WL/msgstorm -g 1 -f 1 -p -l 200 -d $(((SECS + 1) / 2)) > /dev/null
}
