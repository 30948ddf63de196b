# Windows x86-64 with MinGW-w64 (Debian's posix-threads cross compiler); test
# binaries run under Wine, so `ctest` works on a Linux host:
#   cmake -S . -B build-win64 -DCMAKE_TOOLCHAIN_FILE=toolchains/x86_64-w64-mingw32.cmake
#   cmake --build build-win64 && ctest --test-dir build-win64
# Packages: g++-mingw-w64-x86-64-posix wine64 (--no-install-recommends). The
# programs link everything statically (libgcc, libstdc++, winpthread), so they
# run under Wine, or on Windows, without MinGW's DLLs. Built: the runtime with
# every x86 ISA (chosen at run time), grurt-run, grurt-info, grurt-bench and the
# test suite; not grurt-convert, whose readers need libzip, protobuf/ONNX and
# HDF5, which Debian has for Linux only.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # flatc runs on the host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config must not offer the host's Linux libraries (e.g. libsndfile).
set(ENV{PKG_CONFIG_LIBDIR} /usr/x86_64-w64-mingw32/lib/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
# Wine's prefix lives in the build directory: a build and its tests need nothing else.
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/wine64-run.sh ${CMAKE_BINARY_DIR}/wine)
set(GRURT_BUILD_CONVERTER OFF CACHE BOOL "The converter's readers need host libraries MinGW lacks")
