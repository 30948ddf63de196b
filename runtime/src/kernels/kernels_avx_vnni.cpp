// AVX2 kernels with AVX-VNNI's vpdpbusd for int8 weights (Alder Lake and
// later, Zen 5); compiled with -mavx2 -mfma -mf16c -mavxvnni. Everything but
// the int8 products is the AVX2 table.
#if !defined(__AVXVNNI__)
#error "kernels_avx_vnni.cpp must be compiled with -mavxvnni"
#endif
#include "kernels_avx2.hpp"

namespace grurt {
namespace kernels {
namespace {
template <>
struct Int8Dot<Avx2> : Int8Avx2Dot<true> {};  // vpdpbusd
}  // namespace
extern const KernelTable kAvxVnniKernels = SimdKernels<Avx2>::table(Isa::kAvxVnni);
}  // namespace kernels
}  // namespace grurt
