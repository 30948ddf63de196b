# Cortex-M3 (no FPU: float math is emulated in software), run on QEMU's mps2-an385.
# The integer path (grurt-convert --activations int16, grurt::IntegerSession)
# runs here without any floating point; the float firmware runs too, emulated.
#   cmake -S . -B build-m3 -DCMAKE_TOOLCHAIN_FILE=toolchains/cortex-m3.cmake
#   cmake --build build-m3 && ctest --test-dir build-m3
set(GRURT_CORTEX_M_FLAGS "-mcpu=cortex-m3 -mfloat-abi=soft")
set(GRURT_CORTEX_M_BOARD mps2-an385 CACHE STRING "QEMU board that runs the firmware")
include(${CMAKE_CURRENT_LIST_DIR}/cortex-m-common.cmake)
