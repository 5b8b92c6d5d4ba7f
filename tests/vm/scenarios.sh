# SPDX-License-Identifier: GPL-2.0
#
# The vmtest scenarios, run inside the guest after guest-lib.sh: scxlive's
# whole life cycle against the real kernel, for every policy, then the ways a
# user-space scheduler dies (SIGKILL, SIGSTOP until the watchdog fires), CPU
# hotplug, and an unprivileged start. Each step is judged by what the kernel
# reports (sched_ext state, ops name, enable_seq, dmesg) and what scxlive
# prints, with timeouts so that a hang is a failure, not a stuck test.

echo "scenarios: kernel $(uname -r), $(nproc) CPUs, sched_ext $(sx_state)"
[ "$(sx_state)" = disabled ] || fail "sched_ext is '$(sx_state)' before any test"

# Parts of the issue that need scxlive report it missing, once each.
if [ ! -x "$SX" ]; then
	for what in "scxlive lifecycle per policy" "SIGKILL under load" \
		    "SIGSTOP under load (watchdog)" "CPU hotplug under load" \
		    "non-root start refused"; do
		fail "$what: $SX was not built"
	done
fi

policies=
if [ -x "$SX" ]; then
	"$SX" --list-policies > "$OUT/list-policies" 2>&1
	# Policy names start a line; their parameters are indented below them.
	policies=$(grep -E '^[a-z]' "$OUT/list-policies" | awk '{ print $1 }' | tr '\n' ' ')
	want_ok=0
	for p in fifo vruntime eevdf lowlat; do
		case " $policies " in *" $p "*) ;; *) want_ok=1 ;; esac
	done
	check $want_ok "scxlive --list-policies names fifo, vruntime, eevdf, lowlat" \
		"got '$policies'"
fi

# ---------------------------------------------------------------- lifecycle
for p in $policies; do
	[ -x "$SX" ] || break
	log=$OUT/life-$p.log
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] lifecycle: $p"
	if ! sx_start "$log" -P "$p" --stats 1; then
		fail "$p: attach: state is '$(sx_state)', not enabled after 30 s"
		sx_stop
		cat "$log"
		continue
	fi
	pass "$p: attach: sched_ext state enabled"
	ops=$(sx_ops)
	case $ops in
	scx*|*scxl*) pass "$p: ops name '$ops' is ours" ;;
	*) fail "$p: ops name '$ops' is not scxlive's" ;;
	esac
	mixed_start "life-$p" 3
	mixed_wait "life-$p" 60
	check $? "$p: mixed workload (frames + message storm + forks) completes" "$mixed_why"
	[ "$(sx_state)" = enabled ]
	check $? "$p: still enabled after the workload" "state '$(sx_state)'"
	sx_stop
	d=$(sx_user_dispatches "$log")
	[ "${d:-0}" -gt 0 ] 2>/dev/null
	check $? "$p: user dispatches > 0 (last stats line says ${d:-nothing})"
	check "$sx_rc" "$p: SIGINT: scxlive exits 0" "exit $sx_rc"
	wait_state disabled 5
	check $? "$p: SIGINT: state disabled" "state '$(sx_state)'"
	grep -qiE 'unregistered from user space|kind[^a-z]*(SCX_EXIT_)?UNREG([^_A-Z]|$)' "$log"
	check $? "$p: SIGINT: exit reported as unregistered from user space" \
		"'$(tail -n1 "$log")'"
	dmesg_new | grep -q 'disabled (unregistered from user space)'
	check $? "$p: SIGINT: dmesg says disabled (unregistered from user space)" \
		"$(dmesg_new | tail -n1)"
	echo "frame loop under $p: $(cat "$OUT/life-$p.frame")"
done

# ---------------------------------------------------------------- starvation
# A message storm of 80 tasks beside a nice-19 frame loop and burner: a
# weighted policy keeps the nice-19 tasks behind for seconds (their vtime
# ages 68x faster), and the kernel's watchdog ejects a scheduler that lets
# any runnable task wait 5 s. Every policy must stay attached through 12 s
# of it (scxlive's starvation guard steps in at 2 s: "rescued"), and the
# storm must complete.
for p in $policies; do
	[ -x "$SX" ] || break
	log=$OUT/starve-$p.log
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] starvation: $p"
	if ! sx_start "$log" -P "$p" --stats 1; then
		fail "$p: starvation: scxlive did not attach (state '$(sx_state)')"
		sx_stop
		continue
	fi
	nice -n 19 "$WL/frameloop" -d 12 -w 2ms -q > /dev/null 2>&1 &
	low="$!"
	nice -n 19 "$WL/hog" -n 1 -d 12 > /dev/null 2>&1 &
	low="$low $!"
	"$WL/msgstorm" -g 4 -f 10 -l 20 -d 12 > "$OUT/starve-$p.storm" 2>&1 &
	storm=$!
	storm_rc=124
	wait_pid $storm 60 && storm_rc=$wait_rc
	wait $low 2>/dev/null
	st=$(sx_state)
	sx_stop
	[ "$st" = enabled ] && ! grep -q 'ERROR_STALL' "$log"
	check $? "$p: starvation: still enabled after 12 s of storm beside nice-19 tasks" \
		"state '$st': $(grep -m1 'exit kind' "$log")"
	[ $storm_rc = 0 ]
	check $? "$p: starvation: the message storm completes" \
		"exit $storm_rc: $(tail -n1 "$OUT/starve-$p.storm")"
	echo "starvation under $p: $(grep '^scxlive: queued=' "$log" | tail -n1 | grep -o 'rescued=[0-9]*')"
done

# ---------------------------------------------------------------- SIGKILL
if [ -x "$SX" ]; then
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] SIGKILL under load"
	log=$OUT/kill.log
	if sx_start "$log" -P lowlat --stats 1; then
		mixed_start kill 4
		sleep 1
		kill -9 "$sx_pid"
		wait_state disabled 10
		check $? "SIGKILL: kernel falls back to the fair class (state disabled)" \
			"state '$(sx_state)'"
		dmesg_new | grep -q 'scxlive" disabled'
		check $? "SIGKILL: dmesg says the scheduler was disabled" "$(dmesg_new | tail -n1)"
		mixed_wait kill 60
		check $? "SIGKILL: the workload still completes" "$mixed_why"
		wait "$sx_pid" 2>/dev/null
	else
		fail "SIGKILL: scxlive did not attach (state '$(sx_state)')"
		sx_stop
	fi
fi

# ---------------------------------------------------------------- SIGSTOP
# A stopped daemon leaves every queued task without a decision: the kernel's
# watchdog must eject the scheduler. A short timeout option keeps this quick.
if [ -x "$SX" ]; then
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] SIGSTOP under load"
	log=$OUT/stop.log
	topt=
	wd=35
	if "$SX" --help 2>&1 | grep -qE -- '--timeout'; then
		topt="--timeout 3"
		wd=15
	fi
	if sx_start "$log" -P lowlat --stats 1 $topt; then
		mixed_start stop 4
		sleep 1
		# Time from before the signal: this shell is one of the tasks
		# that stall, so it only runs again once the watchdog fired.
		now_s; t0=$now
		kill -STOP "$sx_pid"
		wait_state disabled $wd
		check $? "SIGSTOP: watchdog ejects the stalled scheduler within $wd s" \
			"state '$(sx_state)'"
		now_s
		echo "SIGSTOP: disabled after $((now - t0)) s"
		dmesg_new | grep -qi 'stall'
		check $? "SIGSTOP: dmesg names a runnable task stall" "$(dmesg_new | tail -n2)"
		mixed_wait stop 60
		check $? "SIGSTOP: the workload still completes" "$mixed_why"
		kill -CONT "$sx_pid"
		if wait_pid "$sx_pid" 20; then sx_rc=$wait_rc; else
			kill -9 "$sx_pid"; wait "$sx_pid" 2>/dev/null; sx_rc=124; fi
		grep -qi 'stall' "$log"
		check $? "SIGCONT: scxlive reports the stall" "'$(tail -n1 "$log")'"
		[ "$sx_rc" != 0 ] && [ "$sx_rc" != 124 ]
		check $? "SIGCONT: scxlive exits non-zero after being ejected" "exit $sx_rc"
	else
		fail "SIGSTOP: scxlive did not attach (state '$(sx_state)')"
		sx_stop
	fi
fi

# ---------------------------------------------------------------- hotplug
if [ -x "$SX" ] && [ -w /sys/devices/system/cpu/cpu1/online ]; then
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] CPU hotplug under load"
	log=$OUT/hotplug.log
	if sx_start "$log" -P lowlat --stats 1; then
		seq0=$(sx_seq)
		mixed_start hotplug 5
		sleep 1
		echo 0 > /sys/devices/system/cpu/cpu1/online
		off_rc=$?
		sleep 1
		echo 1 > /sys/devices/system/cpu/cpu1/online
		on_rc=$?
		[ $off_rc = 0 ] && [ $on_rc = 0 ]
		check $? "hotplug: cpu1 went offline and back online" "echo $off_rc/$on_rc"
		# Restarted means enabled again with a newer enable_seq.
		now_s; end=$((now + 20))
		while [ "$now" -lt "$end" ]; do
			[ "$(sx_state)" = enabled ] && [ "$(sx_seq)" -gt "$seq0" ] && break
			usleep 100000
			now_s
		done
		[ "$(sx_state)" = enabled ] && [ "$(sx_seq)" -gt "$seq0" ]
		check $? "hotplug: scxlive re-attached (enable_seq $seq0 -> $(sx_seq), state $(sx_state))"
		kill -0 "$sx_pid" 2>/dev/null
		check $? "hotplug: the scxlive process kept running"
		grep -qi 'restart' "$log"
		check $? "hotplug: scxlive says it restarted at the kernel's request" \
			"$(grep 'exit kind' "$log" | head -n1)"
		mixed_wait hotplug 60
		check $? "hotplug: the workload completes" "$mixed_why"
		[ "$(sx_state)" = enabled ]
		check $? "hotplug: still scheduling after the workload" "state '$(sx_state)'"
		sx_stop
		check "$sx_rc" "hotplug: SIGINT afterwards exits 0" "exit $sx_rc"
	else
		fail "hotplug: scxlive did not attach (state '$(sx_state)')"
		sx_stop
	fi
	echo 1 > /sys/devices/system/cpu/cpu1/online 2>/dev/null
fi

# ---------------------------------------------------------------- non-root
if [ -x "$SX" ]; then
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] non-root"
	su nobody -s /bin/sh -c "$SX -P fifo" > "$OUT/nonroot.out" 2> "$OUT/nonroot.err" &
	nr_pid=$!
	if wait_pid "$nr_pid" 20; then nr_rc=$wait_rc; else
		kill -9 "$nr_pid"; nr_rc=124; fi
	lines=$(grep -c . "$OUT/nonroot.err")
	# "Clear" means it names the cause: root, a capability, or permission.
	[ "$nr_rc" = 2 ] && [ "$lines" = 1 ] &&
		grep -qiE 'root|CAP_|permi|privileg' "$OUT/nonroot.err"
	check $? "non-root: one error line naming the missing privilege, exit 2" \
		"exit $nr_rc, $lines stderr lines: $(head -n2 "$OUT/nonroot.err" | tr '\n' '|')"
	[ "$(sx_state)" = disabled ]
	check $? "non-root: nothing attached" "state '$(sx_state)'"
fi

# Nothing above may have left a scheduler behind or oopsed the kernel.
dmesg > "$OUT/dmesg"
grep -qE 'BUG:|Oops|WARNING:|Call Trace' "$OUT/dmesg"
[ $? != 0 ]
check $? "kernel log has no BUG, oops or warning" \
	"$(grep -m1 -E 'BUG:|Oops|WARNING:|Call Trace' "$OUT/dmesg")"

# A file for the host to check the way out of the guest with.
head -c 2000000 /dev/urandom > "$OUT/xfer.bin"
sha1sum < "$OUT/xfer.bin" | cut -d' ' -f1 > "$OUT/xfer.sha1"
