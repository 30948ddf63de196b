#include "cpu_features.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define GRURT_X86_GNU 1
#elif defined(_M_X64)
#include <immintrin.h>
#include <intrin.h>
#define GRURT_X86_MSVC 1
#elif (defined(__aarch64__) || defined(__arm__)) && (defined(__linux__) || defined(__ANDROID__))
#include <sys/auxv.h>
#define GRURT_ARM_AUXV 1
#endif

namespace grurt {
namespace kernels {
namespace {

#if defined(GRURT_X86_GNU) || defined(GRURT_X86_MSVC)
void cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
#if defined(GRURT_X86_GNU)
  __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#else
  int out[4];
  __cpuidex(out, static_cast<int>(leaf), static_cast<int>(sub));
  for (int i = 0; i < 4; ++i) r[i] = static_cast<unsigned>(out[i]);
#endif
}

unsigned long long xgetbv0() {
#if defined(GRURT_X86_GNU)
  unsigned eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
#else
  return _xgetbv(0);
#endif
}
#endif

}  // namespace

CpuFeatures cpu_features() noexcept {
  CpuFeatures features;
#if defined(GRURT_X86_GNU) || defined(GRURT_X86_MSVC)
  unsigned r[4] = {0, 0, 0, 0};
  cpuid(0, 0, r);
  const unsigned max_leaf = r[0];
  if (max_leaf < 7) return features;
  cpuid(1, 0, r);
  const bool fma = (r[2] >> 12) & 1u;
  const bool osxsave = (r[2] >> 27) & 1u;
  const bool f16c = (r[2] >> 29) & 1u;  // the f16 weights' conversion; every AVX2 CPU has it
  if (!osxsave) return features;
  const unsigned long long xcr0 = xgetbv0();
  const bool ymm_saved = (xcr0 & 0x6u) == 0x6u;             // SSE and AVX state
  const bool zmm_saved = (xcr0 & 0xE6u) == 0xE6u;           // + opmask, ZMM_Hi256, Hi16_ZMM
  cpuid(7, 0, r);
  features.avx2_fma = ymm_saved && fma && f16c && ((r[1] >> 5) & 1u);
  features.avx512f = zmm_saved && ((r[1] >> 16) & 1u);
  features.avx512_vnni = features.avx512f && ((r[1] >> 30) & 1u) && ((r[2] >> 11) & 1u);  // EBX: BW; ECX: VNNI
  cpuid(7, 1, r);
  features.avx_vnni = ymm_saved && ((r[0] >> 4) & 1u);  // leaf 7, subleaf 1, EAX bit 4
#elif defined(GRURT_ARM_AUXV)
  // Bit numbers from the Linux UAPI (asm/hwcap.h), spelled out because older
  // headers lack the newer names.
  const unsigned long hwcap = getauxval(AT_HWCAP);
#if defined(__aarch64__)
  features.neon = (hwcap >> 1) & 1u;      // HWCAP_ASIMD
  features.dotprod = (hwcap >> 20) & 1u;  // HWCAP_ASIMDDP
  const unsigned long hwcap2 = getauxval(AT_HWCAP2);
  features.i8mm = (hwcap2 >> 13) & 1u;    // HWCAP2_I8MM
#else
  features.neon = (hwcap >> 12) & 1u;     // HWCAP_NEON
#endif
#elif defined(__ARM_NEON) || defined(__ARM_NEON__)
  features.neon = true;  // no OS query here: the target the compiler was told
#if defined(__ARM_FEATURE_DOTPROD)
  features.dotprod = true;
#endif
#if defined(__ARM_FEATURE_MATMUL_INT8)
  features.i8mm = true;
#endif
#endif
  return features;
}

}  // namespace kernels
}  // namespace grurt
