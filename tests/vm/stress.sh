# SPDX-License-Identifier: GPL-2.0
#
# The second vmtest boot, run inside the guest after guest-lib.sh: scxlive's
# stats socket, then stress as scx's own CI gives every scheduler, under
# each policy:
#  - stress-ng --aggressive with the cpu, fork, affinity, schedpolicy, pipe
#    and switch stressors, and stress-ng must finish;
#  - a fork storm: more live tasks at once than the daemon's task map holds
#    (8192), then forks at full speed with a small pid_max, so pids come
#    round again within seconds (tests/vm/forkstorm.c);
#  - memory pressure around the mlocked daemon: it must keep printing its
#    stats line, take no major page fault, and keep a 60 Hz frame loop's
#    wakeups under a bound.
# In each, scxlive must stay attached, or be ejected only by the kernel's
# watchdog (a runnable task stall, exit kind ERROR_STALL).
# A separate boot from scenarios.sh, so that a kernel wedged by stress costs
# these verdicts only. Every step has a deadline.

STRESS_NG=${STRESS_NG:-stress-ng}
STATS_SOCK=/var/run/scx/root/stats
# How late a 60 Hz frame may wake under memory pressure: a fifth of the
# watchdog's 5 s. Far above the few ms of a responsive daemon, far below a
# stall: what it tells apart is a daemon that keeps deciding from one that
# waits on memory.
MEM_WAKE_MAX_US=1000000

echo "stress: kernel $(uname -r), $(nproc) CPUs, $(free -m | awk '/^Mem:/ { print $2 }') MiB," \
	"sched_ext $(sx_state), $($STRESS_NG --version 2>&1 | head -n1)"
if [ ! -x "$SX" ]; then
	fail "stress: $SX was not built"
	exit 0
fi
command -v "$STRESS_NG" > /dev/null || fail "stress: $STRESS_NG is not in the guest"

# How many stats lines LOG holds; wait_next_line waits for one more.
lines_of() { grep -c '^scxlive: queued=' "$1"; }
wait_next_line() {	# LOG COUNT: 0 once LOG has more than COUNT lines
	local end
	now_s; end=$((now + 5))
	while [ "$(lines_of "$1")" -le "$2" ]; do
		now_s
		[ "$now" -ge "$end" ] && return 1
		usleep 50000
	done
}

# ---------------------------------------------------------------- stats socket
# Replies are kept for the host, which reads them with jq and holds every
# figure between the stats lines printed just before and just after it
# (tests/vm/check-stats). Here: the socket exists while attached, answers
# several requests on one connection, and is gone after detach.
echo "--- [$(cut -d' ' -f1 /proc/uptime) s] stats socket"
log=$OUT/stats.log
if sx_start "$log" -P lowlat --stats 1; then
	[ -S "$STATS_SOCK" ]
	check $? "stats socket: $STATS_SOCK exists while attached"
	mixed_start stats 6
	ok=0
	for i in 1 2 3; do
		sleep 1
		before=$(lines_of "$log")
		"$WL/stats-client" '{"req":"stats","args":{"target":"top"}}' \
			'{"req":"stats_meta","args":{}}' '{"req":"stats"}' \
			> "$OUT/stats-$i.json" 2> "$OUT/stats-$i.err" || ok=1
		# The upper bound: the first line printed after the replies came.
		after=$(lines_of "$log")
		wait_next_line "$log" "$after" || ok=1
		echo "$before $((after + 1))" > "$OUT/stats-$i.bracket"
	done
	check $ok "stats socket: three rounds of stats, stats_meta, stats answered" \
		"$(cat "$OUT"/stats-*.err | head -n2)"
	"$WL/stats-client" '{"req":"reset"}' '{"req":"stats","args":{"target":"dom0"}}' \
		> "$OUT/stats-bad.json" 2>&1
	check $? "stats socket: unknown requests answered, connection kept"
	mixed_wait stats 60
	check $? "stats socket: the workload completes" "$mixed_why"
	sx_stop
	check "$sx_rc" "stats socket: SIGINT exits 0" "exit $sx_rc"
	cp "$log" "$OUT/stats-lines.log"
	[ ! -e "$STATS_SOCK" ] && ! "$WL/stats-client" '{"req":"stats"}' > /dev/null 2>&1
	check $? "stats socket: removed after detach"
else
	fail "stats socket: scxlive did not attach (state '$(sx_state)')"
	sx_stop
fi

# ---------------------------------------------------------------- stress
# attached_or_watchdog P PART [keep]: after a part, either still attached
# (then, unless "keep" lets the next part use it, detached with SIGINT,
# which must exit 0) or ejected by the kernel's watchdog alone (exit kind
# ERROR_STALL, scxlive exiting non-zero by itself). Any other end (a BPF
# error, a crash, a hang) fails.
attached_or_watchdog() {
	local p=$1 part=$2 how
	if [ "$(sx_state)" = enabled ] && [ "${3:-}" = keep ]; then
		how="stayed attached"
		true
	elif [ "$(sx_state)" = enabled ]; then
		sx_stop
		how="stayed attached, SIGINT exit $sx_rc"
		[ "$sx_rc" = 0 ]
	else
		if wait_pid "$sx_pid" 20; then sx_rc=$wait_rc; else sx_stop; fi
		how="ejected: $(grep -m1 -o 'kind=[A-Z_]*([0-9]*)' "$log"), exit $sx_rc"
		grep -q 'kind=ERROR_STALL' "$log" && [ "$sx_rc" != 0 ] && [ "$sx_rc" != 124 ]
	fi
	check $? "$p: $part: scxlive stayed attached or only the watchdog ejected it ($how)" \
		"$(grep -m1 'exit kind' "$log")"
	echo "$part under $p: $how; $(grep '^scxlive: queued=' "$log" | tail -n1)"
}

# part_start P PART: scxlive for one part (the previous part's if it is
# still attached); 1 if it did not attach.
part_start() {
	if [ -n "${sx_pid:-}" ] && kill -0 "$sx_pid" 2>/dev/null &&
	   [ "$(sx_state)" = enabled ]; then
		echo "--- [$(cut -d' ' -f1 /proc/uptime) s] $2: $1 (same attachment)"
		return 0
	fi
	log=$OUT/stress-$1-$2.log
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] $2: $1"
	sx_start "$log" -P "$1" --stats 1 --stats-socket '' && return 0
	fail "$1: $2: scxlive did not attach (state '$(sx_state)')"
	sx_stop
	return 1
}

# run_bounded SECS OUT CMD...: run CMD, its status in $rc (124: killed
# after SECS seconds).
run_bounded() {
	local secs=$1 out=$2 pid
	shift 2
	"$@" > "$out" 2>&1 &
	pid=$!
	rc=124
	wait_pid $pid "$secs" && rc=$wait_rc
	[ $rc = 124 ] && { kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; }
}

# majflt and minflt of a pid (fields 12 and 10 of /proc/PID/stat, after
# the comm, which cannot hold ')' for scxlive).
faults() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $10, $8 }'; }

# stress-ng's scheduler stressor is "schedpolicy" (its --sched option sets
# stress-ng's own policy).
stress_ng() {
	local p=$1 out=$OUT/stress-$1.ng
	part_start "$p" stress-ng || return
	run_bounded 60 "$out" "$STRESS_NG" --aggressive --cpu 2 --fork 2 --affinity 2 \
		--schedpolicy 2 --pipe 2 --switch 2 --timeout 4s --metrics-brief
	[ $rc = 0 ]
	check $? "$p: stress-ng --aggressive cpu,fork,affinity,schedpolicy,pipe,switch completes" \
		"exit $rc: $(grep -m2 -iE 'fail|error|abort|invalid' "$out" | tr '\n' '|')"
	attached_or_watchdog "$p" stress-ng keep
	echo "stress-ng under $p: $(grep -E 'metrc.* (cpu|fork|affinity|schedpolicy|pipe|switch) +[0-9]' "$out" | awk '{ print $4 "=" $5 }' | tr '\n' ' ')"
}

# The pool of sleeping threads the fork storm parts wake (forkstorm -s):
# made once, since making 8000+ threads takes most of a minute in the VM.
POOL=8500
pool_start() {
	echo 40000 > /proc/sys/kernel/threads-max
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] fork storm: making $POOL threads"
	"$WL/forkstorm" -t $POOL -b 500 -s -d 0 > "$OUT/pool.out" 2>&1 &
	pool_pid=$!
	local end
	now_s; end=$((now + 180))
	until grep -q '^forkstorm: ready' "$OUT/pool.out"; do
		kill -0 $pool_pid 2>/dev/null || break
		now_s
		[ "$now" -ge "$end" ] && break
		usleep 200000
	done
	grep -q "ready: $POOL threads alive at once (the kernel counts $POOL;" "$OUT/pool.out"
	check $? "fork storm: $POOL threads alive at once (more than the daemon's 8192 slots)" \
		"$(tail -n1 "$OUT/pool.out")"
}

fork_storm() {
	local p=$1 out=$OUT/stress-$1.fork reused n end
	part_start "$p" "fork storm" || return
	# Every pool thread queued once under this policy, batch by batch.
	n=$(grep -c '^forkstorm: round' "$OUT/pool.out")
	kill -USR1 $pool_pid
	now_s; end=$((now + 120))
	while [ "$(grep -c '^forkstorm: round' "$OUT/pool.out")" -le "$n" ]; do
		now_s
		[ "$now" -ge "$end" ] && break
		usleep 200000
	done
	grep '^forkstorm: round' "$OUT/pool.out" | tail -n1 > "$out"
	grep -q "threads woken .* in [0-9.]* s$" "$out"
	check $? "$p: fork storm: all $POOL live threads woken once, 500 at a time" \
		"$(cat "$out")"
	echo 400 > /proc/sys/kernel/pid_max
	run_bounded 60 "$out.reuse" "$WL/forkstorm" -t 0 -d 4 -p 32
	echo "$PID_MAX0" > /proc/sys/kernel/pid_max
	reused=$(sed -n 's/.* \([0-9]*\) got a pid used before.*/\1/p' "$out.reuse")
	[ $rc = 0 ] && [ "${reused:-0}" -gt 0 ]
	check $? "$p: fork storm: 4 s of forks under pid_max 400 reuse pids (${reused:-?} reused)" \
		"exit $rc: $(tail -n1 "$out.reuse")"
	attached_or_watchdog "$p" "fork storm"
	echo "fork storm under $p: $(cat "$out" "$out.reuse" | tr '\n' ';')"
}

mem_pressure() {
	local p=$1 out=$OUT/stress-$1.vm f0 f1 n0 n1 maxus frame
	part_start "$p" "memory pressure" || return
	f0=$(faults "$sx_pid")
	n0=$(lines_of "$log")
	# The daemon's faults, sampled while it lives (it exits if ejected).
	( while f=$(faults "$sx_pid" 2>/dev/null) && [ -n "$f" ]; do
		echo "$f" > "$OUT/stress-$p.faults"; usleep 250000; done ) &
	sampler=$!
	"$WL/frameloop" -d 4 -q > "$OUT/stress-$p.frame" 2>&1 &
	frame=$!
	# 75%, not 85%: the guest's files live in RAM and it has no swap, so
	# at 85% the vm workers spent all their time in reclaim (0 bogo ops
	# under fifo and lowlat in one run) and in one CI run the kernel's own
	# watchdog work, and the daemon's log writes to /out, waited seconds
	# for memory: a test of the guest's exhaustion, not of the daemon.
	run_bounded 60 "$out" "$STRESS_NG" --vm 2 --vm-bytes 75% --vm-keep --timeout 4s \
		--metrics-brief
	wait_pid $frame 30 || kill -9 $frame 2>/dev/null
	kill $sampler 2>/dev/null
	wait $sampler 2>/dev/null
	f1=$(faults "$sx_pid" 2>/dev/null)
	[ -n "$f1" ] || f1=$(cat "$OUT/stress-$p.faults" 2>/dev/null)
	n1=$(lines_of "$log")
	[ $rc = 0 ]
	check $? "$p: memory pressure: stress-ng --vm 2 --vm-bytes 75% completes" \
		"exit $rc: $(grep -m2 -iE 'fail|error|abort' "$out" | tr '\n' '|')"
	[ $((n1 - n0)) -ge 3 ]
	check $? "$p: memory pressure: stats lines kept coming ($((n1 - n0)) in 4 s or more at 1/s)"
	[ -n "$f0" ] && [ -n "$f1" ] && [ "${f1%% *}" = "${f0%% *}" ]
	check $? "$p: memory pressure: the daemon took no major page fault" \
		"majflt/minflt $f0 -> $f1"
	maxus=$(frame_p max "$OUT/stress-$p.frame")
	[ -n "$maxus" ] && [ "${maxus%.*}" -lt $MEM_WAKE_MAX_US ]
	check $? "$p: memory pressure: frame loop's worst wakeup ${maxus:-?} us < $MEM_WAKE_MAX_US us" \
		"$(tail -n1 "$OUT/stress-$p.frame")"
	attached_or_watchdog "$p" "memory pressure"
	echo "memory pressure under $p: majflt/minflt $f0 -> $f1," \
		"frame loop $(grep -o 'wake_latency:.*' "$OUT/stress-$p.frame")"
}

PID_MAX0=$(cat /proc/sys/kernel/pid_max)
for p in fifo vruntime eevdf lowlat; do
	stress_ng "$p"
	mem_pressure "$p"
done
pool_start
for p in fifo vruntime eevdf lowlat; do
	[ -n "$pool_pid" ] && kill -0 $pool_pid 2>/dev/null || break
	fork_storm "$p"
done
kill -TERM $pool_pid 2>/dev/null
rc=124
wait_pid $pool_pid 90 && rc=$wait_rc
[ $rc = 124 ] && kill -9 $pool_pid 2>/dev/null
[ $rc = 0 ]
check $? "fork storm: every pool thread woke in every round and exited" \
	"exit $rc: $(tail -n2 "$OUT/pool.out" | tr '\n' '|')"

# Stress must not have oopsed the kernel. The OOM killer's report carries a
# call trace of its own; only that one is allowed, and it is named.
dmesg > "$OUT/dmesg"
oom=$(grep -c 'invoked oom-killer' "$OUT/dmesg")
[ "$oom" -gt 0 ] && echo "stress: the OOM killer ran $oom times: $(grep -o 'Killed process [0-9]* ([^)]*)' "$OUT/dmesg" | sort | uniq -c | tr '\n' ';')"
grep -qE 'BUG:|Oops|WARNING:' "$OUT/dmesg" ||
	{ [ "$oom" = 0 ] && grep -q 'Call Trace' "$OUT/dmesg"; }
[ $? != 0 ]
check $? "stress: kernel log has no BUG, oops or warning" \
	"$(grep -m1 -E 'BUG:|Oops|WARNING:|Call Trace' "$OUT/dmesg")"
grep -q 'Killed process [0-9]* (scxlive' "$OUT/dmesg"
[ $? != 0 ]
check $? "stress: the OOM killer never picked scxlive"
