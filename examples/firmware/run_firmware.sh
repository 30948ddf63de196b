#!/usr/bin/env bash
# Runs a firmware ELF on a QEMU board with semihosting; passes only when QEMU
# exits 0 (main returned 0) and the firmware printed its success line.
# usage: run_firmware.sh QEMU BOARD FIRMWARE.elf
set -uo pipefail
output=$(timeout 60 "$1" -M "$2" -nographic -semihosting -monitor none -kernel "$3" 2>&1)
status=$?
printf '%s\n' "$output"
[ "$status" -eq 0 ] || { echo "QEMU exited with status $status" >&2; exit 1; }
grep -q "all match the host reference" <<<"$output" || { echo "no success line from the firmware" >&2; exit 1; }
