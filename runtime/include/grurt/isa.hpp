// Which instruction set a session's kernels use.
#pragma once

#include <cstddef>

namespace grurt {

// kAuto picks the best the CPU supports, unless the environment variable
// GRURT_ISA (one of the names below: scalar, avx2, avx512, neon, avx_vnni,
// neon_dotprod, avx512_vnni, helium) names one; a named ISA the CPU or this build
// lacks makes Session::init fail with Status::kIsaUnavailable. avx_vnni,
// avx512_vnni and neon_dotprod are the avx2, avx512 and neon kernels with
// those extensions' int8 dot products (vpdpbusd, sdot); helium is the scalar
// table with Cortex-M55 Helium f32 products, in builds for such a core. Append only.
enum class Isa { kAuto, kScalar, kAvx2, kAvx512, kNeon, kAvxVnni, kNeonDotprod, kAvx512Vnni, kHelium };

const char* isa_name(Isa isa) noexcept;  // "scalar", "avx2", ...

// The ISA of that name; false for any other text.
bool isa_from_name(const char* name, Isa* isa) noexcept;

// Every ISA this runtime knows (built here or not), as known_isa(0 ..
// known_isa_count() - 1): for listing names in messages and help.
std::size_t known_isa_count() noexcept;
Isa known_isa(std::size_t index) noexcept;

// Whether this build has kernels for `isa` and this CPU can run them.
bool isa_available(Isa isa) noexcept;

// The ISA kAuto chooses on this machine (ignoring GRURT_ISA).
Isa best_isa() noexcept;

}  // namespace grurt
