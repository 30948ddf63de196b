#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs every test: the native suite, the
# AArch64 and ARMv7 (NEON) suites under qemu-user, and the firmware on emulated
# Cortex-M4, M7 and M55 boards under qemu-system-arm. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"

grurt_install_packages "${GRURT_PACKAGES[@]}" "${GRURT_ARM_PACKAGES[@]}" "${GRURT_CORTEX_M_PACKAGES[@]}"

total=0
# Runs one build directory's suite and adds its test count to the total.
run_suite() {
  local log
  log=$(mktemp)
  ctest --test-dir "$1" --output-on-failure -j "$(nproc)" | tee "$log"
  total=$((total + $(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)))
  rm -f "$log"
}

echo "== native ($(uname -m))"
grurt_build
run_suite "$root/build"

for target in "arm64 aarch64-linux-gnu qemu-user" "armhf arm-linux-gnueabihf qemu-user" \
  "m4 cortex-m4 qemu-system-arm" "m7 cortex-m7 qemu-system-arm" "m55 cortex-m55 qemu-system-arm"; do
  set -- $target
  echo "== $1 under $3 (toolchains/$2.cmake)"
  grurt_cross_build "$1" "$2"
  run_suite "$root/build-$1"
done
echo "all suites: $total passed, 0 failed"
