# SPDX-License-Identifier: GPL-2.0
#
# Helpers for scripts that run inside the run-guest VM (busybox sh).
# Verdicts go to $OUT/results as "ok - what" / "not ok - what: why"; the host
# (tests/vm/vmtest) numbers them into TAP. Everything asserted comes from the
# kernel's own view (/sys/kernel/sched_ext, dmesg) or from what scxlive and
# the workloads print, never from what we told them to do.

SCX_SYS=/sys/kernel/sched_ext
: "${SX:=build/scxlive-static}"
: "${WL:=build/tests/vm/wl}"

pass() { echo "ok - $*" >> "$OUT/results"; echo "PASS: $*"; }
fail() { echo "not ok - $*" >> "$OUT/results"; echo "FAIL: $*"; }
# check COND-STATUS WHAT [WHY]: pass when the status is 0.
check() {
	if [ "$1" = 0 ]; then pass "$2"; else fail "$2${3:+: $3}"; fi
}

sx_state() { cat $SCX_SYS/state 2>/dev/null || echo missing; }
sx_ops() { cat $SCX_SYS/root/ops 2>/dev/null; }
sx_seq() { cat $SCX_SYS/enable_seq 2>/dev/null || echo 0; }

# Deadlines, not iteration counts: spawning a process under TCG on a busy
# host can take longer than the poll interval. read is a shell builtin.
now_s() { read now _ < /proc/uptime; now=${now%.*}; }
read_state() { st=missing; read st 2>/dev/null < $SCX_SYS/state; }

# wait_state WANT SECONDS: poll the kernel's state, 0 when reached.
wait_state() {
	local end
	now_s; end=$((now + $2))
	while :; do
		read_state
		[ "$st" = "$1" ] && return 0
		now_s
		[ "$now" -ge "$end" ] && return 1
		usleep 100000
	done
}

# wait_pid PID SECONDS: wait for a child, its exit status in $wait_rc;
# returns 1 (and leaves it running) if it is still alive after SECONDS.
wait_pid() {
	local end
	now_s; end=$((now + $2))
	while kill -0 "$1" 2>/dev/null; do
		# A zombie child still answers kill -0: ask /proc instead.
		grep -q '^State:.*Z' /proc/$1/status 2>/dev/null && break
		now_s
		[ "$now" -ge "$end" ] && return 1
		usleep 100000
	done
	wait "$1"
	wait_rc=$?
	return 0
}

# The mixed workload of the issue: a 60 Hz frame loop, a message storm and
# short-lived forks, side by side for SECS seconds. Leaves each one's output
# in $OUT/$TAG.{frame,storm,fork} and their pids in $wl_pids.
mixed_start() {
	local tag=$1 secs=$2
	"$WL/frameloop" -d "$secs" -q > "$OUT/$tag.frame" 2>&1 &
	wl_pids=$!
	"$WL/msgstorm" -g 2 -f 4 -l 20 -d "$secs" > "$OUT/$tag.storm" 2>&1 &
	wl_pids="$wl_pids $!"
	"$WL/forker" -d "$secs" -r 100 -w 200us > "$OUT/$tag.fork" 2>&1 &
	wl_pids="$wl_pids $!"
}

# mixed_wait TAG SECONDS: 0 when every workload exited 0 in time and the
# frame loop printed its latency line.
mixed_wait() {
	local p bad=
	for p in $wl_pids; do
		if ! wait_pid "$p" "$2"; then
			bad="$bad pid $p hung;"
			kill -9 "$p" 2>/dev/null
		elif [ "$wait_rc" != 0 ]; then
			bad="$bad pid $p exit $wait_rc;"
		fi
	done
	grep -q 'wake_latency: n=[1-9]' "$OUT/$1.frame" || bad="$bad no frame latency line;"
	mixed_why=$bad
	[ -z "$bad" ]
}

# A counter from scxlive's last stats line ("scxlive: queued=N user=N ...").
sx_counter() {
	grep '^scxlive: queued=' "$2" | tail -n1 | sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}
sx_user_dispatches() { sx_counter user "$1"; }

# sx_start LOG ARGS...: start scxlive, 0 once the kernel says enabled.
sx_start() {
	local log=$1
	shift
	dmesg_mark
	"$SX" "$@" > "$log" 2>&1 &
	sx_pid=$!
	local end
	now_s; end=$((now + 30))
	while :; do
		read_state
		[ "$st" = enabled ] && return 0
		# Gone already (reaped by the shell, or a zombie): stop waiting.
		kill -0 "$sx_pid" 2>/dev/null || return 1
		grep -q '^State:.*Z' /proc/$sx_pid/status 2>/dev/null && return 1
		now_s
		[ "$now" -ge "$end" ] && return 1
		usleep 100000
	done
}

# sx_stop: SIGINT, then the exit status in $sx_rc (or 124 if it hangs).
sx_stop() {
	kill -INT "$sx_pid" 2>/dev/null
	if wait_pid "$sx_pid" 20; then
		sx_rc=$wait_rc
	else
		kill -9 "$sx_pid" 2>/dev/null
		wait "$sx_pid" 2>/dev/null
		sx_rc=124
	fi
}

# The kernel's log lines about sched_ext since the last mark.
dmesg_mark() { dmesg_from=$(dmesg | wc -l); }
dmesg_new() { dmesg | tail -n +$((dmesg_from + 1)) | grep -i 'sched_ext'; }

# frame_p NAME FILE: the frame loop's own percentile (us) from its line.
frame_p() { sed -n "s/.*wake_latency:.* $1=\([0-9.]*\)us.*/\1/p" "$2" | tail -n1; }
