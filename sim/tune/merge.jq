# SPDX-License-Identifier: GPL-2.0
#
# The merge step of a sweep: every shard's JSON lines (scxsim --sweep SPEC
# --shard I/N) into one table per trace, best first by the latency-
# sensitive comm's p99, with the CPU-bound comm's completion relative to
# eevdf at its defaults when the sweep ran it. A job that two shards both
# ran counts once; the first line says whether every job is there.
#
#   cat shard-*.jsonl | jq -s -r -f sim/tune/merge.jq

def dur:
  if . >= 1e9 then "\(. / 1e9 * 1000 | round / 1000)s"
  elif . >= 1e6 then "\(. / 1e6 * 100 | round / 100)ms"
  elif . >= 1e3 then "\(. / 1e3 * 10 | round / 10)us"
  else "\(.)ns" end;
def pad($n): tostring | if length < $n then " " * ($n - length) + . else . end;
def rpad($n): tostring | if length < $n then . + " " * ($n - length) else . end;

unique_by(.job) as $all
| ($all | length) as $have
| ($all | map(.jobs) | max) as $jobs
| "sweep: \($have) of \($jobs) jobs"
  + (if $have < $jobs then " (a shard is missing)" else "" end),
  ($all | group_by(.trace)[]
   | . as $t
   | ([$t[] | select(.policy == "eevdf" and .changed == "")][0].busy_done_ns) as $ev
   | "",
     "\($t[0].trace): minimise p99 of '\($t[0].focus)', completion of '\($t[0].busy)'",
     "  \("policy" | rpad(10)) \("p99" | pad(9)) \("max" | pad(9)) \("done" | pad(9)) \("x eevdf" | pad(7))  parameters",
     ($t | sort_by(.focus_p99_ns, .job)[]
      | "  \(.policy | rpad(10)) \(.focus_p99_ns | dur | pad(9)) \(.focus_max_ns | dur | pad(9)) \(.busy_done_ns | dur | pad(9)) \((if ($ev // 0) > 0 and .busy_done_ns > 0 then (.busy_done_ns / $ev * 1000 | round / 1000) else "-" end) | pad(7))  \(if .changed == "" then "(defaults)" else .changed end)\(if .violations > 0 then "  CHECKS FAILED" else "" end)"))
