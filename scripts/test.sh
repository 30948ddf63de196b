#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs every test: the native suite, the
# AArch64 and ARMv7 (NEON) suites under qemu-user, and the firmware on emulated
# Cortex-M4, M7 and M55 boards under qemu-system-arm. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"

grurt_install_packages "${GRURT_PACKAGES[@]}" "${GRURT_ARM_PACKAGES[@]}" "${GRURT_CORTEX_M_PACKAGES[@]}"

echo "== native ($(uname -m))"
grurt_build
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"

for target in "arm64 aarch64-linux-gnu qemu-user" "armhf arm-linux-gnueabihf qemu-user" \
  "m4 cortex-m4 qemu-system-arm" "m7 cortex-m7 qemu-system-arm" "m55 cortex-m55 qemu-system-arm"; do
  set -- $target
  echo "== $1 under $3 (toolchains/$2.cmake)"
  grurt_cross_build "$1" "$2"
  ctest --test-dir "$root/build-$1" --output-on-failure -j "$(nproc)"
done
