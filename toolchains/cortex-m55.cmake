# Cortex-M55 (FPU and MVE; grurt adds its Helium kernels), run on QEMU's mps3-an547:
#   cmake -S . -B build-m55 -DCMAKE_TOOLCHAIN_FILE=toolchains/cortex-m55.cmake
#   cmake --build build-m55 && ctest --test-dir build-m55
set(GRURT_CORTEX_M_FLAGS "-mcpu=cortex-m55 -mfloat-abi=hard")
set(GRURT_CORTEX_M_BOARD mps3-an547 CACHE STRING "QEMU board that runs the firmware")
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
