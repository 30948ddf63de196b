#!/usr/bin/env bash
# Installs the Debian packages grurt builds and tests with, skipping those
# already present. Sourced by demo.sh and test.sh; safe to run on its own.
set -euo pipefail

GRURT_PACKAGES=(
  cmake g++ make binutils       # build, and nm for the runtime symbol check
  libflatbuffers-dev flatbuffers-compiler  # model format (headers + flatc)
  catch2                        # tests (Catch2 v2)
  libcli11-dev                  # command-line parsing for the tools
  libzip-dev pkg-config         # the converter reads torch.save zip archives
  nlohmann-json3-dev            # safetensors headers and mapping files
  libonnx-dev libprotobuf-dev   # ONNX models: the ONNX project's own protobuf classes
  libhdf5-dev                   # Keras .h5 models
  libxsimd-dev                  # the SIMD kernels (header-only)
  libsndfile1-dev               # grurt-run's audio files (optional: without it, CSV only)
  lv2-dev lilv-utils            # the LV2 plugin (examples/lv2) and the LV2 hosts its test runs it in
)

# The ARM suites: cross compilers, and qemu-user to run their tests.
GRURT_ARM_PACKAGES=(g++-aarch64-linux-gnu g++-arm-linux-gnueabihf qemu-user)
# The Windows suite: MinGW-w64 (posix threads) and Wine to run its tests (wine64
# alone, without recommends: no X, no 32-bit Wine).
GRURT_WINDOWS_PACKAGES=(g++-mingw-w64-x86-64-posix wine64)
# Fuzzing (scripts/fuzz.sh) and the ThreadSanitizer job: clang and its sanitizer runtimes.
GRURT_FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)
# The Cortex-M firmware: bare-metal compiler, newlib, and qemu-system-arm (about 400 MB).
GRURT_CORTEX_M_PACKAGES=(gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm)

grurt_install_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "grurt: installing ${missing[*]}"
  $sudo apt-get -o DPkg::Lock::Timeout=900 update -q
  $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}"
}

# Configures and builds into build/ (executables in build/bin/).
grurt_build() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DGRURT_BUILD_TOOLS=ON \
    -DGRURT_BUILD_TESTS=ON -DGRURT_BUILD_EXAMPLES=ON
  cmake --build "$root/build" -j "$(nproc)"
}

# Builds into build-NAME/ with sanitizers (GRURT_SANITIZE), all targets or the
# ones named: grurt_sanitizer_build NAME SANITIZERS [-DOPTION=VALUE...] [TARGET...].
# CC/CXX pick the compiler; a build directory made with another one starts over.
grurt_sanitizer_build() {
  local root name=$1 sanitizers=$2 options=() cached
  shift 2
  while [ $# -gt 0 ] && [[ $1 == -D* ]]; do
    options+=("$1")
    shift
  done
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  cached=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$root/build-$name/CMakeCache.txt" 2>/dev/null || true)
  if [ -n "$cached" ] && [ "$(basename "$cached")" != "$(basename "${CXX:-c++}")" ]; then
    echo "grurt: build-$name was configured with $cached, not ${CXX:-c++}: starting it over"
    rm -rf "${root:?}/build-$name"
  fi
  cmake -S "$root" -B "$root/build-$name" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRURT_SANITIZE="$sanitizers" \
    -DGRURT_BUILD_TOOLS=ON -DGRURT_BUILD_TESTS=ON -DGRURT_BUILD_EXAMPLES=ON "${options[@]}"
  cmake --build "$root/build-$name" -j "$(nproc)" ${1:+--target "$@"}
}

# Cross-builds into build-NAME/ with toolchains/TOOLCHAIN.cmake: grurt_cross_build NAME TOOLCHAIN
grurt_cross_build() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  # No CMAKE_BUILD_TYPE here: Release by default, MinSizeRel from the Cortex-M toolchains.
  cmake -S "$root" -B "$root/build-$1" -DCMAKE_TOOLCHAIN_FILE="$root/toolchains/$2.cmake"
  cmake --build "$root/build-$1" -j "$(nproc)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  grurt_install_packages "${GRURT_PACKAGES[@]}"
fi
