#!/usr/bin/env bash
# Runs a firmware ELF on a QEMU board with semihosting; passes only when QEMU
# exits 0 (main returned 0) and the firmware printed its success line.
# usage: run_firmware.sh QEMU BOARD FIRMWARE.elf
set -uo pipefail
# -icount shift=0: one guest instruction = 1 ns of virtual time, which SysTick
# counts, so the firmware can report instructions per step (repeatably).
output=$(timeout 60 "$1" -M "$2" -icount shift=0 -nographic -semihosting -monitor none -kernel "$3" 2>&1)
status=$?
printf '%s\n' "$output"
[ "$status" -eq 0 ] || { echo "QEMU exited with status $status" >&2; exit 1; }
grep -q "all match the host reference" <<<"$output" || { echo "no success line from the firmware" >&2; exit 1; }
# The count must be there and plausible for a demo model (a GRU or LSTM of 16 and a Linear head).
count=$(sed -n 's/^firmware: \([0-9]*\) instructions per step().*/\1/p' <<<"$output")
[ -n "$count" ] && [ "$count" -gt 500 ] && [ "$count" -lt 400000 ] ||
  { echo "no plausible instructions-per-step line from the firmware (got '${count}')" >&2; exit 1; }
