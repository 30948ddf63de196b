#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs every test: the native suite, then
# the AArch64 and ARMv7 (NEON) suites under qemu-user. Exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"

grurt_install_packages "${GRURT_PACKAGES[@]}" "${GRURT_ARM_PACKAGES[@]}"

echo "== native ($(uname -m))"
grurt_build
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"

for target in "arm64 aarch64-linux-gnu" "armhf arm-linux-gnueabihf"; do
  set -- $target
  echo "== $1 under qemu-user (toolchains/$2.cmake)"
  grurt_cross_build "$1" "$2"
  ctest --test-dir "$root/build-$1" --output-on-failure -j "$(nproc)"
done
