# SPDX-License-Identifier: GPL-2.0
# Sourced by every recipe, in the guest (busybox sh, /work is the checkout).
#
# Kernel symbols mean nothing to sched events yet are most of a small .dat
# (trace-cmd saves /proc/kallsyms whole), so hide them from trace-cmd.
: > /tmp/no-kallsyms && mount --bind /tmp/no-kallsyms /proc/kallsyms
W=/work/build/workloads
echo "recipe: kernel $(uname -r), $(nproc) CPUs," \
     "scheduler $(cat /sys/kernel/sched_ext/state 2>/dev/null || echo '?')"
