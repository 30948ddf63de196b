// int8 dot products on x86 (an int8_matrix.hpp Dot), for the files compiled
// with AVX2 (kernels_avx2.cpp, kernels_avx512.cpp) or AVX-VNNI.
//
// The instructions multiply unsigned by signed bytes (vpmaddubsw, vpdpbusd),
// while both the input and the weights are signed: the input's sign moves to
// the weight (vpsignb: w * sign(x)) and its magnitude is the unsigned operand.
// |x| <= 127 and |w| <= 127 (the loader refuses -128), so vpmaddubsw's pair
// sums stay within 2 * 127 * 127 = 32258 and never saturate.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "int8_matrix.hpp"

namespace grurt {
namespace kernels {
namespace {

// A 16-row panel is 2 vectors of 8 rows x 4 columns; 4 panels at a time
// keep 8 independent accumulator chains.
template <bool kVnni>
struct Int8Avx2Dot {
  static constexpr std::uint32_t kGroup = 4;

  // acc(row) += sum over the group's 4 columns of w(row, c) * x(c).
  static __m256i accumulate(__m256i acc, __m256i w, __m256i x, __m256i x_magnitude) {
    const __m256i signed_w = _mm256_sign_epi8(w, x);
#if defined(__AVXVNNI__)
    if constexpr (kVnni) return _mm256_dpbusd_avx_epi32(acc, x_magnitude, signed_w);
#endif
    const __m256i pairs = _mm256_maddubs_epi16(x_magnitude, signed_w);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
  }

  template <std::uint32_t kPanels>
  static void panels(const std::int8_t* w, std::uint32_t c4, const std::int8_t* xq, const float* row_scales,
                     float x_scale, const float* bias, float* y) {
    __m256i acc[kPanels][2];
    for (std::uint32_t p = 0; p < kPanels; ++p) acc[p][0] = acc[p][1] = _mm256_setzero_si256();
    const std::uintptr_t panel_bytes = std::uintptr_t{c4} * kPanelRows;
    for (std::uint32_t g = 0; g < c4; g += kInt8GroupColumns) {
      std::int32_t four;
      std::memcpy(&four, xq + g, sizeof(four));
      const __m256i x = _mm256_set1_epi32(four);
      const __m256i x_magnitude = _mm256_abs_epi8(x);
      for (std::uint32_t p = 0; p < kPanels; ++p) {
        const auto* group = reinterpret_cast<const __m256i*>(w + p * panel_bytes + std::uintptr_t{g} * kPanelRows);
        acc[p][0] = accumulate(acc[p][0], _mm256_load_si256(group), x, x_magnitude);
        acc[p][1] = accumulate(acc[p][1], _mm256_load_si256(group + 1), x, x_magnitude);
      }
    }
    // The same float operations as rescale_panel, 8 rows at a time.
    const __m256 scale = _mm256_set1_ps(x_scale);
    for (std::uint32_t p = 0; p < kPanels; ++p) {
      for (std::uint32_t v = 0; v < 2; ++v) {
        const std::uint32_t row = p * kPanelRows + v * 8;
        const __m256 row_scale = _mm256_mul_ps(_mm256_loadu_ps(row_scales + row), scale);
        __m256 value = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[p][v]), row_scale);
        if (bias != nullptr) value = _mm256_add_ps(value, _mm256_load_ps(bias + row));
        _mm256_store_ps(y + row, value);
      }
    }
  }
};

}  // namespace
}  // namespace kernels
}  // namespace grurt
