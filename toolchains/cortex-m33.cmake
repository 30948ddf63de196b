# Cortex-M33 (single-precision FPU, DSP extension), run on QEMU's mps2-an505:
#   cmake -S . -B build-m33 -DCMAKE_TOOLCHAIN_FILE=toolchains/cortex-m33.cmake
#   cmake --build build-m33 && ctest --test-dir build-m33
set(GRURT_CORTEX_M_FLAGS "-mcpu=cortex-m33 -mfpu=fpv5-sp-d16 -mfloat-abi=hard")
set(GRURT_CORTEX_M_BOARD mps2-an505 CACHE STRING "QEMU board that runs the firmware")
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
