# SPDX-License-Identifier: GPL-2.0
#
# The guest half of tests/vm/predict (busybox sh, after guest-lib.sh and a
# line setting SX, WL, SECS, ROUNDS, WORKLOADS, POLICIES, EEVDF (0: no
# EEVDF recordings); the workloads are
# tests/vm/predict-workloads.sh). Each round
# records every workload once under the kernel's own scheduler (EEVDF),
# then once live under scxlive with each policy, all in this one boot, into
# $OUT/WORKLOAD-POLICY[-ROUND].dat with what the workload printed beside it.
EVENTS="-e sched:sched_switch -e sched:sched_waking -e sched:sched_wakeup
 -e sched:sched_wakeup_new -e sched:sched_process_fork -e sched:sched_process_exit
 -e sched:sched_process_exec -e sched:sched_migrate_task"
# kallsyms would be 95% of each .dat and scxsim needs no symbols: hide it.
: > /tmp/no-kallsyms && mount --bind /tmp/no-kallsyms /proc/kallsyms

record() {	# WORKLOAD NAME
	t0=$(cut -d' ' -f1 /proc/uptime)
	trace-cmd record -q --file-version 7 --compression zstd -o "$OUT/$2.dat" \
		$EVENTS sh -c ". /work/tests/vm/predict-workloads.sh; wl_$1" > "$OUT/$2.out" 2> "$OUT/$2.err"
	echo "$2: trace-cmd exit $?, $t0 -> $(cut -d' ' -f1 /proc/uptime) s"
}

# The kernel's boot-time self-tests (cryptomgr_test: 2.4 s of CPU in the
# -icount guest) must not land in the first recording: it would replay a
# burner that no live run has. Wait for them, at most 60 s.
n=0
while grep -qs '^cryptomgr' /proc/[0-9]*/comm && [ $n -lt 60 ]; do
	sleep 1
	n=$((n + 1))
done
echo "settled after ${n} s"

export WL SECS
r=1
while [ $r -le $ROUNDS ]; do
	sfx=
	[ $ROUNDS -gt 1 ] && sfx=-$r
	for w in $WORKLOADS; do
		[ "$EEVDF" = 0 ] || record $w $w-eevdf$sfx
		for p in $POLICIES; do
			"$SX" -P $p --stats 1 > "$OUT/$w-$p$sfx.log" 2>&1 &
			pid=$!
			if wait_state enabled 30; then
				record $w $w-$p$sfx
				echo "after recording: sched_ext $(sx_state)" >> "$OUT/$w-$p$sfx.log"
			else
				echo "scxlive -P $p did not attach" > "$OUT/$w-$p$sfx.err"
			fi
			kill -INT $pid
			wait_pid $pid 20 || { kill -KILL $pid; wait $pid; }
			wait_state disabled 10
		done
	done
	r=$((r + 1))
done
