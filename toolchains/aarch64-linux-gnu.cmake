# AArch64 Linux (Cortex-A53/A72/..., Raspberry Pi 3/4/5 64-bit), Debian's cross
# compiler; test binaries run under qemu-user, so `ctest` works on an x86 host:
#   cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake
#   cmake --build build-arm64 && ctest --test-dir build-arm64
# Packages: g++-aarch64-linux-gnu qemu-user. Header-only dependencies (FlatBuffers,
# xsimd, Catch2) are taken from the host through build/deps/include.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # flatc runs on the host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
# The host tools (converter, grurt-run, grurt-info) are built by the native build.
set(GRURT_BUILD_TOOLS OFF CACHE BOOL "Host tools are not cross-built")
