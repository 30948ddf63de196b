// Which kernel tables this build has and which the CPU can run.
#include "isa_list.hpp"

#include <cstring>

namespace grurt {
namespace kernels {
// Defined in the per-ISA files that CMake compiles for this target.
extern const KernelTable kScalarKernels;
#if defined(GRURT_HAVE_AVX2)
extern const KernelTable kAvx2Kernels;
#define GRURT_AVX2_TABLE &kAvx2Kernels
#else
#define GRURT_AVX2_TABLE nullptr
#endif
#if defined(GRURT_HAVE_AVX512)
extern const KernelTable kAvx512Kernels;
#define GRURT_AVX512_TABLE &kAvx512Kernels
#else
#define GRURT_AVX512_TABLE nullptr
#endif
#if defined(GRURT_HAVE_NEON)
extern const KernelTable kNeonKernels;
#define GRURT_NEON_TABLE &kNeonKernels
#else
#define GRURT_NEON_TABLE nullptr
#endif
#if defined(GRURT_HAVE_AVX_VNNI)
extern const KernelTable kAvxVnniKernels;
#define GRURT_AVX_VNNI_TABLE &kAvxVnniKernels
#else
#define GRURT_AVX_VNNI_TABLE nullptr
#endif
#if defined(GRURT_HAVE_AVX512_VNNI)
extern const KernelTable kAvx512VnniKernels;
#define GRURT_AVX512_VNNI_TABLE &kAvx512VnniKernels
#else
#define GRURT_AVX512_VNNI_TABLE nullptr
#endif
#if defined(GRURT_HAVE_NEON_DOTPROD)
extern const KernelTable kNeonDotprodKernels;
#define GRURT_NEON_DOTPROD_TABLE &kNeonDotprodKernels
#else
#define GRURT_NEON_DOTPROD_TABLE nullptr
#endif

#if defined(GRURT_HAVE_HELIUM)
extern const KernelTable kHeliumKernels;
#define GRURT_HELIUM_TABLE &kHeliumKernels
#else
#define GRURT_HELIUM_TABLE nullptr
#endif

namespace {

const IsaEntry kIsas[] = {
    {Isa::kScalar, "scalar", 0, [](const CpuFeatures&) { return true; }, &kScalarKernels, Isa::kAuto},
    {Isa::kAvx2, "avx2", 3, [](const CpuFeatures& cpu) { return cpu.avx2_fma; }, GRURT_AVX2_TABLE, Isa::kAuto},
    {Isa::kAvx512, "avx512", 5, [](const CpuFeatures& cpu) { return cpu.avx512f; }, GRURT_AVX512_TABLE, Isa::kAvx2},
    {Isa::kNeon, "neon", 1, [](const CpuFeatures& cpu) { return cpu.neon; }, GRURT_NEON_TABLE, Isa::kAuto},
    // The same f32 kernels as avx2, neon and avx512, with faster int8
    // products: each preferred to the table it extends (avx_vnni below avx512,
    // whose wider f32 kernels matter more).
    {Isa::kAvxVnni, "avx_vnni", 4, [](const CpuFeatures& cpu) { return cpu.avx2_fma && cpu.avx_vnni; },
     GRURT_AVX_VNNI_TABLE, Isa::kAuto},
    {Isa::kNeonDotprod, "neon_dotprod", 2, [](const CpuFeatures& cpu) { return cpu.neon && cpu.dotprod; },
     GRURT_NEON_DOTPROD_TABLE, Isa::kAuto},
    // Without AVX-VNNI (every AVX-512 VNNI CPU so far has AVX2) its narrower
    // choice falls back to avx2: see best_isa_for().
    {Isa::kAvx512Vnni, "avx512_vnni", 6, [](const CpuFeatures& cpu) { return cpu.avx512f && cpu.avx512_vnni; },
     GRURT_AVX512_VNNI_TABLE, Isa::kAvxVnni},
    // Compiled in only for targets with MVE floats, which have it by definition.
    {Isa::kHelium, "helium", 1, [](const CpuFeatures&) { return true; }, GRURT_HELIUM_TABLE, Isa::kAuto},
};

}  // namespace

const IsaEntry* isa_entries(std::size_t* count) noexcept {
  *count = sizeof(kIsas) / sizeof(kIsas[0]);
  return kIsas;
}

const IsaEntry* isa_entry(Isa isa) noexcept {
  for (const IsaEntry& entry : kIsas) {
    if (entry.isa == isa) return &entry;
  }
  return nullptr;
}

const KernelTable* kernels_for(Isa isa) noexcept {
  const IsaEntry* entry = isa_entry(isa);
  return entry != nullptr ? entry->table : nullptr;
}

}  // namespace kernels

const char* isa_name(Isa isa) noexcept {
  if (isa == Isa::kAuto) return "auto";
  const kernels::IsaEntry* entry = kernels::isa_entry(isa);
  return entry != nullptr ? entry->name : "unknown";
}

bool isa_from_name(const char* name, Isa* isa) noexcept {
  std::size_t count = 0;
  const kernels::IsaEntry* entries = kernels::isa_entries(&count);
  for (std::size_t i = 0; i < count; ++i) {
    if (std::strcmp(name, entries[i].name) == 0) {
      *isa = entries[i].isa;
      return true;
    }
  }
  return false;
}

std::size_t known_isa_count() noexcept {
  std::size_t count = 0;
  kernels::isa_entries(&count);
  return count;
}

Isa known_isa(std::size_t index) noexcept {
  std::size_t count = 0;
  const kernels::IsaEntry* entries = kernels::isa_entries(&count);
  return index < count ? entries[index].isa : Isa::kAuto;
}

bool isa_available(Isa isa) noexcept {
  const kernels::IsaEntry* entry = kernels::isa_entry(isa);
  return entry != nullptr && entry->table != nullptr && entry->cpu_has(kernels::cpu_features());
}

Isa best_isa() noexcept {
  std::size_t count = 0;
  const kernels::IsaEntry* entries = kernels::isa_entries(&count);
  const kernels::IsaEntry* best = kernels::isa_entry(Isa::kScalar);
  for (std::size_t i = 0; i < count; ++i) {
    if (entries[i].preference > best->preference && isa_available(entries[i].isa)) best = &entries[i];
  }
  return best->isa;
}

}  // namespace grurt
