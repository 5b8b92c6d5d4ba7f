# SPDX-License-Identifier: GPL-2.0
#
# vmtest scenarios for the BPF side's faults, run inside the guest after
# guest-lib.sh and scenarios.sh (whose helpers sx_start, sx_stop and
# sx_counter it uses), ending with a check of the kernel log of its own:
#  - interrupt wakeups are seen as such: a timer-driven frame loop's every
#    frame is a hard-interrupt wakeup (its hrtimer), a message storm's are
#    not;
#  - a ring too small for the load (--ring-kib 4): the kernel queues tasks
#    itself (congested), RUNNING/STOPPING notices that find no room reach
#    the daemon later (replayed), the starvation guard rescues nobody (no
#    task waited 2 s: it must read the congested task's own wait), nothing
#    stalls and every workload completes;
#  - affinity churn: tasks are dequeued and queued again while decisions
#    about them are in flight; stale decisions are dropped, nothing stalls.

if [ -x "$SX" ]; then
	# ------------------------------------------------------------ irq
	fx_dmesg=$(dmesg | wc -l)
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] faults: interrupt wakeups"
	log=$OUT/fx-irq.log
	if sx_start "$log" -P lowlat --stats 1; then
		"$WL/frameloop" -d 3 -w 1ms -q > "$OUT/fx-irq.frame" 2>&1 &
		fl=$!
		"$WL/msgstorm" -g 2 -f 4 -l 20 -d 3 > /dev/null 2>&1 &
		ms=$!
		wait_pid $fl 60
		wait_pid $ms 60
		sx_stop
		frames=$(sed -n 's/.*wake_latency: n=\([0-9]*\).*/\1/p' "$OUT/fx-irq.frame")
		line=$(grep 'interrupt wakeups' "$log")
		irq=$(echo "$line" | sed -n 's/^scxlive: \([0-9]*\) interrupt.*/\1/p')
		wakes=$(echo "$line" | sed -n 's/.*(of \([0-9]*\) wakeups.*/\1/p')
		hard=$(echo "$line" | sed -n 's/.* \([0-9]*\) from hard interrupts.*/\1/p')
		echo "faults: frames ${frames:-?}, interrupt wakeups ${irq:-0} of ${wakes:-?}, ${hard:-0} from hard interrupts"
		# The frame loop's hrtimer wakes it from a hard interrupt; softirq
		# wakeups of kthreads alone must not make up the count.
		[ -n "$frames" ] && [ "${hard:-0}" -ge $((frames * 9 / 10)) ] 2>/dev/null
		check $? "irq: the frame loop's $frames timer wakeups are seen as hard-interrupt wakeups" \
			"only ${hard:-0} hard-interrupt wakeups counted (${irq:-0} interrupt wakeups in all)"
		# The counts cover every task: leave the frame loop's own timer
		# wakeups out, or a storm that ran little (a slow guest) fails
		# the check on the frame loop's account.
		other=$(( ${irq:-0} - ${frames:-0} ))
		[ "$other" -ge 0 ] || other=0
		[ -n "$wakes" ] && [ -n "$frames" ] &&
			[ $((other * 2)) -lt $((wakes - frames)) ] 2>/dev/null
		check $? "irq: a message storm's task wakeups are not ($other of $(( ${wakes:-0} - ${frames:-0} )) wakeups besides the frame loop's)"
	else
		fail "irq: scxlive did not attach (state '$(sx_state)')"
		sx_stop
	fi

	# ------------------------------------------------------------ small ring
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] faults: ring of 4 KiB"
	log=$OUT/fx-ring.log
	if sx_start "$log" -P lowlat --stats 1 --ring-kib 4; then
		mixed_start fx-ring 4
		# Load sized under the starvation guard: lowlat bounds a wait by
		# ceil(n / cpus) * 65 ms, and with ~100 runnable tasks (a -g 4
		# -f 10 storm) that is 3.3 s, past the guard's 2 s, so a rescue
		# was the policy's right, not a stranded task (seen once in CI).
		# ~45 tasks bound it at 1.5 s and still overflow a 4 KiB ring.
		"$WL/msgstorm" -g 2 -f 6 -l 20 -d 4 > /dev/null 2>&1 &
		wl_pids="$wl_pids $!"
		mixed_wait fx-ring 90
		check $? "small ring: the workloads complete" "$mixed_why"
		st=$(sx_state)
		sx_stop
		[ "$st" = enabled ] && ! grep -q 'ERROR_STALL' "$log"
		check $? "small ring: still attached" "state '$st': $(grep -m1 'exit kind' "$log")"
		cg=$(sx_counter congested "$log"); lost=$(sx_counter lost "$log")
		rp=$(sx_counter replayed "$log"); rs=$(sx_counter rescued "$log")
		dr=$(sx_counter dropped "$log")
		echo "faults: small ring: congested=$cg lost=$lost replayed=$rp rescued=$rs dropped=$dr"
		[ "${cg:-0}" -gt 0 ]
		check $? "small ring: the kernel queued tasks itself (congested=${cg:-?})"
		[ "${rs:-1}" = 0 ]
		check $? "small ring: the starvation guard rescued nobody (rescued=${rs:-?})"
		[ "${lost:-0}" = 0 ] || [ "${rp:-0}" -gt 0 ]
		check $? "small ring: notices with no room were replayed (lost=${lost:-?} replayed=${rp:-?})"
		[ "${dr:-1}" = 0 ]
		check $? "small ring: no answer dropped (dropped=${dr:-?})"
	else
		fail "small ring: scxlive did not attach (state '$(sx_state)')"
		sx_stop
	fi

	# ------------------------------------------------------------ affinity
	echo "--- [$(cut -d' ' -f1 /proc/uptime) s] faults: affinity churn"
	log=$OUT/fx-aff.log
	if sx_start "$log" -P lowlat --stats 1; then
		"$WL/msgstorm" -g 2 -f 4 -l 20 -d 4 > "$OUT/fx-aff.storm" 2>&1 &
		ms=$!
		now_s; end=$((now + 4)); flips=0
		while [ "$now" -lt "$end" ]; do
			for p in $(pidof msgstorm); do
				taskset -p $((flips % 3 + 1)) "$p" > /dev/null 2>&1
			done
			flips=$((flips + 1))
			now_s
		done
		rc=124
		wait_pid $ms 60 && rc=$wait_rc
		st=$(sx_state)
		sx_stop
		echo "faults: affinity: $flips flips, $(grep '^scxlive: queued=' "$log" | tail -n1 | grep -oE '(cancelled|bounced)=[0-9]*' | tr '\n' ' ')"
		[ $rc = 0 ]
		check $? "affinity churn: the message storm completes" "exit $rc"
		[ "$st" = enabled ] && ! grep -q 'ERROR_STALL' "$log"
		check $? "affinity churn: still attached" "state '$st': $(grep -m1 'exit kind' "$log")"
	else
		fail "affinity churn: scxlive did not attach (state '$(sx_state)')"
		sx_stop
	fi
fi

dmesg | tail -n +$((${fx_dmesg:-0} + 1)) > "$OUT/dmesg-faults"
grep -qE 'BUG:|Oops|WARNING:|Call Trace' "$OUT/dmesg-faults"
[ $? != 0 ]
check $? "faults: kernel log has no BUG, oops or warning" \
	"$(grep -m1 -E 'BUG:|Oops|WARNING:|Call Trace' "$OUT/dmesg-faults")"
