// What the CPU can run, read directly (CPUID and XGETBV on x86): xsimd 8.1's
// own detection misreads some CPUs (BUILD-NOTES: AVX bit 0 on Zen 4).
#pragma once

namespace grurt {
namespace kernels {

struct CpuFeatures {
  bool avx2_fma = false;  // AVX2 + FMA3, with the OS saving YMM state
  bool avx512f = false;   // AVX-512F, with the OS saving ZMM state
};

CpuFeatures cpu_features() noexcept;

}  // namespace kernels
}  // namespace grurt
