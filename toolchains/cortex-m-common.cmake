# Shared by cortex-m3/m4/m7/m33/m55.cmake (which set GRURT_CORTEX_M_FLAGS and the QEMU
# board first): arm-none-eabi, newlib-nano, no exceptions, no RTTI.
# Builds the runtime (scalar path; Helium where the flags enable MVE) and
# examples/firmware; ctest runs the firmware under qemu-system-arm. Packages: gcc-arm-none-eabi
# libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)  # no startup code for test programs
set(_common "-mthumb ${GRURT_CORTEX_M_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${_common}")
set(CMAKE_CXX_FLAGS_INIT "${_common} -fno-exceptions -fno-rtti")
set(CMAKE_ASM_FLAGS_INIT "-mthumb ${GRURT_CORTEX_M_FLAGS}")  # examples/firmware/*/model.S
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--gc-sections --specs=nano.specs --specs=nosys.specs")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # flatc and qemu run on the host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_BUILD_TYPE MinSizeRel CACHE STRING "Firmware is built for size")
set(GRURT_SIMD OFF CACHE BOOL "No run-time ISA choice on Cortex-M: scalar, and Helium when the flags enable it")
set(GRURT_BUILD_TOOLS OFF CACHE BOOL "Host tools are not cross-built")
set(GRURT_BUILD_TESTS OFF CACHE BOOL "Host test suites do not run on bare metal")
set(GRURT_BUILD_EXAMPLES OFF CACHE BOOL "")
set(GRURT_BUILD_FIRMWARE ON CACHE BOOL "Build examples/firmware and its QEMU tests")
