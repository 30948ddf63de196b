# Cortex-M4F (single-precision FPU), run on QEMU's mps2-an386:
#   cmake -S . -B build-m4 -DCMAKE_TOOLCHAIN_FILE=toolchains/cortex-m4.cmake
#   cmake --build build-m4 && ctest --test-dir build-m4
set(GRURT_CORTEX_M_FLAGS "-mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
set(GRURT_CORTEX_M_BOARD mps2-an386 CACHE STRING "QEMU board that runs the firmware")
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
