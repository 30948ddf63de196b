#!/usr/bin/env bash
# Sets up (Debian packages), builds and runs every test: the native suite, the
# same suite under AddressSanitizer + UndefinedBehaviorSanitizer, the threads
# test under ThreadSanitizer, every fuzz target for a short budget
# (GRURT_FUZZ_SECONDS, default 10), the Windows x86-64 (MinGW-w64) suite under
# Wine, the AArch64 and ARMv7 (NEON) suites under qemu-user, and the firmware on
# emulated Cortex-M3, M4, M7, M33 and M55 boards under qemu-system-arm. Exits
# non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"

grurt_install_packages "${GRURT_PACKAGES[@]}" "${GRURT_FUZZ_PACKAGES[@]}" "${GRURT_ARM_PACKAGES[@]}" \
  "${GRURT_CORTEX_M_PACKAGES[@]}" "${GRURT_WINDOWS_PACKAGES[@]}"

total=0
timings=()
stage_start=$SECONDS
# Records how long the stage that just ended took (printed at the end: the
# suite must stay under 30 minutes on 2 cores).
stage_done() {
  timings+=("$(printf '%-34s %4d s' "$1" $((SECONDS - stage_start)))")
  stage_start=$SECONDS
}
# Runs one build directory's suite and adds its test count to the total.
run_suite() {
  local log dir=$1
  shift
  log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" "$@" | tee "$log"
  total=$((total + $(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)))
  rm -f "$log"
}

echo "== native ($(uname -m))"
grurt_build
run_suite "$root/build"
stage_done "native build + tests"

# One clang build holds the sanitizer suite and the fuzz targets (compiling
# the converter once, not twice, keeps the suite inside its 30 minutes).
echo "== native under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan, clang, with the fuzz targets)"
CC=clang-14 CXX=clang++-14 grurt_sanitizer_build asan address,undefined -DGRURT_FUZZ=ON
run_suite "$root/build-asan"
stage_done "ASan+UBSan build + tests"

echo "== sessions on several threads under ThreadSanitizer (build-tsan, clang)"
CC=clang-14 CXX=clang++-14 grurt_sanitizer_build tsan thread grurt_thread_tests
run_suite "$root/build-tsan" -R "several threads"
stage_done "TSan build + test"

echo "== fuzzing every parser for ${GRURT_FUZZ_SECONDS:-10} s (scripts/fuzz.sh)"
GRURT_FUZZ_BUILD="$root/build-asan" "$root/scripts/fuzz.sh" "${GRURT_FUZZ_SECONDS:-10}"
total=$((total + 11))  # one per fuzz target
stage_done "fuzz runs"

for target in "win64 x86_64-w64-mingw32 Wine" "arm64 aarch64-linux-gnu qemu-user" "armhf arm-linux-gnueabihf qemu-user" \
  "m3 cortex-m3 qemu-system-arm" "m4 cortex-m4 qemu-system-arm" "m7 cortex-m7 qemu-system-arm" \
  "m33 cortex-m33 qemu-system-arm" "m55 cortex-m55 qemu-system-arm"; do
  set -- $target
  echo "== $1 under $3 (toolchains/$2.cmake)"
  grurt_cross_build "$1" "$2"
  run_suite "$root/build-$1"
  stage_done "$1 build + tests"
done
printf '%s\n' "stage times:" "${timings[@]/#/  }"
echo "all suites: $total passed, 0 failed"
