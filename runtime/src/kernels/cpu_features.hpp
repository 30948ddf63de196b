// What the CPU can run, read directly: CPUID and XGETBV on x86 (xsimd 8.1's
// own detection misreads some CPUs, BUILD-NOTES: AVX bit 0 on Zen 4), the
// kernel's hardware capabilities (getauxval) on ARM Linux and Android, and the
// compiler's target macros on other ARM systems (bare metal, macOS, Windows).
#pragma once

namespace grurt {
namespace kernels {

struct CpuFeatures {
  bool avx2_fma = false;  // AVX2 + FMA3 + F16C, with the OS saving YMM state
  bool avx_vnni = false;  // AVX-VNNI (VEX vpdpbusd on YMM)
  bool avx512f = false;   // AVX-512F, with the OS saving ZMM state
  bool avx512_vnni = false;  // AVX-512BW and AVX512-VNNI (512-bit vpdpbusd), with ZMM state
  bool neon = false;      // Advanced SIMD (always on AArch64; optional on ARMv7)
  bool dotprod = false;   // AArch64 SDOT/UDOT (ARMv8.2 DotProd)
  bool i8mm = false;      // AArch64 SMMLA/USMMLA (ARMv8.6 I8MM)
};

CpuFeatures cpu_features() noexcept;

}  // namespace kernels
}  // namespace grurt
