// Which kernel tables this build has and which the CPU can run.
#include "grurt/isa.hpp"

#include <cstring>
#include <initializer_list>

#include "cpu_features.hpp"
#include "kernel_table.hpp"

namespace grurt {
namespace kernels {
// Defined in the per-ISA files that CMake compiles for this target.
#if defined(GRURT_HAVE_AVX2)
extern const KernelTable kAvx2Kernels;
#endif
#if defined(GRURT_HAVE_AVX512)
extern const KernelTable kAvx512Kernels;
#endif
#if defined(GRURT_HAVE_NEON)
extern const KernelTable kNeonKernels;
#endif

const KernelTable* kernels_for(Isa isa) noexcept {
  switch (isa) {
    case Isa::kScalar: return &scalar_kernels();
#if defined(GRURT_HAVE_AVX2)
    case Isa::kAvx2: return &kAvx2Kernels;
#endif
#if defined(GRURT_HAVE_AVX512)
    case Isa::kAvx512: return &kAvx512Kernels;
#endif
#if defined(GRURT_HAVE_NEON)
    case Isa::kNeon: return &kNeonKernels;
#endif
    default: return nullptr;
  }
}

}  // namespace kernels

const char* isa_name(Isa isa) noexcept {
  switch (isa) {
    case Isa::kAuto: return "auto";
    case Isa::kScalar: return "scalar";
    case Isa::kAvx2: return "avx2";
    case Isa::kAvx512: return "avx512";
    case Isa::kNeon: return "neon";
  }
  return "unknown";
}

bool isa_from_name(const char* name, Isa* isa) noexcept {
  for (Isa candidate : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512, Isa::kNeon}) {
    if (std::strcmp(name, isa_name(candidate)) == 0) {
      *isa = candidate;
      return true;
    }
  }
  return false;
}

bool isa_available(Isa isa) noexcept {
  if (kernels::kernels_for(isa) == nullptr) return false;
  const kernels::CpuFeatures cpu = kernels::cpu_features();
  switch (isa) {
    case Isa::kAvx2: return cpu.avx2_fma;
    case Isa::kAvx512: return cpu.avx512f;
    case Isa::kScalar:
    case Isa::kNeon:  // built only for targets whose baseline has NEON
      return true;
    case Isa::kAuto: return false;
  }
  return false;
}

Isa best_isa() noexcept {
  for (Isa isa : {Isa::kAvx512, Isa::kAvx2, Isa::kNeon}) {
    if (isa_available(isa)) return isa;
  }
  return Isa::kScalar;
}

}  // namespace grurt
