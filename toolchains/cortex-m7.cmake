# Cortex-M7 (double-precision FPU), run on QEMU's mps2-an500:
#   cmake -S . -B build-m7 -DCMAKE_TOOLCHAIN_FILE=toolchains/cortex-m7.cmake
#   cmake --build build-m7 && ctest --test-dir build-m7
set(GRURT_CORTEX_M_FLAGS "-mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard")
set(GRURT_CORTEX_M_BOARD mps2-an500 CACHE STRING "QEMU board that runs the firmware")
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
