// The one list of instruction sets: name, CPU check and kernel table. GRURT_ISA,
// error messages, grurt-bench --isa and the tests all read it, so adding an
// ISA is its kernels file, its Isa value and one entry here.
#pragma once

#include <cstddef>

#include "cpu_features.hpp"
#include "grurt/isa.hpp"
#include "kernel_table.hpp"

namespace grurt {
namespace kernels {

struct IsaEntry {
  Isa isa;
  const char* name;                          // GRURT_ISA and --isa spelling
  int preference;                            // kAuto takes the available entry with the highest
  bool (*cpu_has)(const CpuFeatures& cpu);   // whether this CPU (and OS) can run it
  const KernelTable* table;                  // null when this build has no kernels for it
  // The same products on half as wide vectors (avx512 -> avx2, avx512_vnni ->
  // avx_vnni), which kAuto takes for small models; kAuto: none.
  Isa narrower;
};

// Every ISA the runtime knows, in Isa order (built or not).
const IsaEntry* isa_entries(std::size_t* count) noexcept;
const IsaEntry* isa_entry(Isa isa) noexcept;  // null for kAuto

}  // namespace kernels
}  // namespace grurt
