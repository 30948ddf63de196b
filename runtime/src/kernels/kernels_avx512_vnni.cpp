// AVX-512 kernels with AVX512-VNNI's 512-bit vpdpbusd for int8 weights (Ice
// Lake, Sapphire Rapids, Zen 4 and later); compiled with -mavx512f -mavx512bw
// -mavx512vnni. Everything but the int8 products is the AVX-512 table.
#if !defined(__AVX512VNNI__) || !defined(__AVX512BW__)
#error "kernels_avx512_vnni.cpp must be compiled with -mavx512bw -mavx512vnni"
#endif
#include "kernels_avx512.hpp"

namespace grurt {
namespace kernels {
namespace {

// A 16-row panel's 4-column group is one 64-byte vector: one vpdpbusd per
// panel and group, 8 panels at a time. AVX-512 has no vpsignb: the input's
// sign moves to the weights with a masked subtraction from zero.
struct Int8Avx512VnniDot {
  static constexpr std::uint32_t kGroup = 8;

  template <std::uint32_t kPanels>
  static void panels(const std::int8_t* w, std::uint32_t c4, const std::int8_t* xq, const float* row_scales,
                     float x_scale, const float* bias, float* y) {
    __m512i acc[kPanels];
    for (std::uint32_t p = 0; p < kPanels; ++p) acc[p] = _mm512_setzero_si512();
    const std::uintptr_t panel_bytes = std::uintptr_t{c4} * kPanelRows;
    const __m512i zero = _mm512_setzero_si512();
    for (std::uint32_t g = 0; g < c4; g += kInt8GroupColumns) {
      std::int32_t four;
      std::memcpy(&four, xq + g, sizeof(four));
      const __m512i x = _mm512_set1_epi32(four);
      const __m512i x_magnitude = _mm512_abs_epi8(x);
      const __mmask64 negative = _mm512_movepi8_mask(x);
      for (std::uint32_t p = 0; p < kPanels; ++p) {
        const __m512i weights = _mm512_load_si512(w + p * panel_bytes + std::uintptr_t{g} * kPanelRows);
        const __m512i signed_w = _mm512_mask_sub_epi8(weights, negative, zero, weights);
        acc[p] = _mm512_dpbusd_epi32(acc[p], x_magnitude, signed_w);
      }
    }
    // The same float operations as rescale_panel, 16 rows at a time.
    const __m512 scale = _mm512_set1_ps(x_scale);
    for (std::uint32_t p = 0; p < kPanels; ++p) {
      const std::uint32_t row = p * kPanelRows;
      const __m512 row_scale = _mm512_mul_ps(_mm512_loadu_ps(row_scales + row), scale);
      __m512 value = _mm512_mul_ps(_mm512_cvtepi32_ps(acc[p]), row_scale);
      if (bias != nullptr) value = _mm512_add_ps(value, _mm512_load_ps(bias + row));
      _mm512_store_ps(y + row, value);
    }
  }
};

template <>
struct Int8Dot<xsimd::avx512f> : Int8Avx512VnniDot {};
}  // namespace
extern const KernelTable kAvx512VnniKernels = SimdKernels<xsimd::avx512f>::table(Isa::kAvx512Vnni);
}  // namespace kernels
}  // namespace grurt
