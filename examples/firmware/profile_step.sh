#!/usr/bin/env bash
# Where a firmware's step() spends its instructions: runs the firmware on QEMU
# one instruction per translation block (-singlestep) with every executed block
# logged (-d exec,nochain); each log line names the function the instruction
# is in. Instructions between main's call into the step function (STEP_SYMBOL:
# grurt_session_step by default; the integer firmware's is
# grurt_integer_session_step) and the return to its caller are counted
# per function and grouped. Exact (it counts what QEMU executes); takes about
# a minute, so it is a measurement, not a test.
# usage: profile_step.sh QEMU BOARD FIRMWARE.elf [STEP_SYMBOL]
set -euo pipefail
[ $# -eq 3 ] || [ $# -eq 4 ] || { echo "usage: $0 QEMU BOARD FIRMWARE.elf [STEP_SYMBOL]" >&2; exit 2; }
qemu=$1 board=$2 elf=$3 entry=${4:-grurt_session_step}
log=$(mktemp -u)
mkfifo "$log"
trap 'rm -f "$log"' EXIT
"$qemu" -M "$board" -nographic -semihosting -monitor none -singlestep -d exec,nochain -D "$log" -kernel "$elf" \
  > /dev/null 2>&1 &
awk -v entry="$entry" '
  # A log line ends with the symbol of the instruction it ran.
  /^Trace/ {
    f = $NF
    if (f == entry) { if (!inside) steps++; inside = 1 }
    else if (f == "main" || f ~ /report_instructions_per_step/) inside = 0
    if (inside) count[f]++
  }
  function group(f) {
    if (f ~ /gemv|gemm|Int8Matrix|Int8Scalar|Dot|four_rows|quantize|four_sums|rows_of/) return "matrix products (gemv, gemm; integer: four_sums, rows_of)"
    if (f ~ /exp|tanh|sigmoid|Logistic|Tanh|AnyGate|AnyCandidate|__ieee754|fabs|scalbn|__kernel|activate/) return "activations called out of line (libm, Dense)"
    if (f ~ /update|reset_hidden|rnn_update|dense_outputs/) return "gate math (GRU/LSTM/RNN update, inlined activations)"
    return "step overhead (session, layer dispatch, checks, copies)"
  }
  END {
    if (steps == 0) { print "no " entry " calls in the trace" > "/dev/stderr"; exit 1 }
    for (f in count) { total += count[f]; by_group[group(f)] += count[f] }
    printf "%d steps; instructions per step: %.0f\n", steps, total / steps
    for (g in by_group) printf "  %-58s %7.0f  %5.1f%%\n", g, by_group[g] / steps, 100 * by_group[g] / total
    print "by function:"
    n = 0
    for (f in count) if (count[f] / steps >= 10) printf "  %7.0f  %s\n", count[f] / steps, f | "sort -rn"
  }' "$log"
wait
