#include "machine_bound.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "aligned_bytes.hpp"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define GRURT_BOUND_X86 1
#endif

namespace grurt::bench {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <typename F>
double best_of(int repeats, F&& run) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) best = std::min(best, run());
  return best;
}

enum class Code { kScalar, kAvx2, kAvx512 };

Code code_for(Isa isa) {
#if defined(GRURT_BOUND_X86)
  if ((isa == Isa::kAvx512 || isa == Isa::kAvx512Vnni) && isa_available(Isa::kAvx512)) return Code::kAvx512;
  return Code::kAvx2;
#else
  (void)isa;
  return Code::kScalar;
#endif
}

// Sums of `floats` floats (a multiple of 64), the loads as wide as the kernels'.
float sum_scalar(const float* data, std::size_t floats) {
  float a[16] = {};
  for (std::size_t i = 0; i < floats; i += 16)
    for (int v = 0; v < 16; ++v) a[v] += data[i + v];
  return a[0] + a[15];
}

#if defined(GRURT_BOUND_X86)
float sum_avx2(const float* data, std::size_t floats) {
  __m256 a[8];
  for (auto& v : a) v = _mm256_setzero_ps();
  for (std::size_t i = 0; i < floats; i += 64)
    for (int v = 0; v < 8; ++v) a[v] = _mm256_add_ps(a[v], _mm256_load_ps(data + i + 8 * v));
  for (int v = 1; v < 8; ++v) a[0] = _mm256_add_ps(a[0], a[v]);
  return _mm256_cvtss_f32(a[0]);
}

__attribute__((target("avx512f"))) float sum_avx512(const float* data, std::size_t floats) {
  __m512 a[4];
  for (auto& v : a) v = _mm512_setzero_ps();
  for (std::size_t i = 0; i < floats; i += 64)
    for (int v = 0; v < 4; ++v) a[v] = _mm512_add_ps(a[v], _mm512_load_ps(data + i + 16 * v));
  for (int v = 1; v < 4; ++v) a[0] = _mm512_add_ps(a[0], a[v]);
  return _mm512_reduce_add_ps(a[0]);
}

// Seconds for `iterations` rounds of 10 independent FMA chains.
double fma_seconds_avx2(long iterations, volatile float& sink) {
  __m256 a[10];
  for (int v = 0; v < 10; ++v) a[v] = _mm256_set1_ps(0.1f * v);
  const __m256 b = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(0.001f);
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i)
    for (int v = 0; v < 10; ++v) a[v] = _mm256_fmadd_ps(a[v], b, c);
  const double s = seconds_since(start);
  for (int v = 1; v < 10; ++v) a[0] = _mm256_add_ps(a[0], a[v]);
  sink = sink + _mm256_cvtss_f32(a[0]);
  return s;
}

__attribute__((target("avx512f"))) double fma_seconds_avx512(long iterations, volatile float& sink) {
  __m512 a[10];
  for (int v = 0; v < 10; ++v) a[v] = _mm512_set1_ps(0.1f * v);
  const __m512 b = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(0.001f);
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < iterations; ++i)
    for (int v = 0; v < 10; ++v) a[v] = _mm512_fmadd_ps(a[v], b, c);
  const double s = seconds_since(start);
  for (int v = 1; v < 10; ++v) a[0] = _mm512_add_ps(a[0], a[v]);
  sink = sink + _mm512_reduce_add_ps(a[0]);
  return s;
}
#endif

}  // namespace

const char* bound_isa(Isa isa) {
  switch (code_for(isa)) {
    case Code::kAvx512: return "avx512";
    case Code::kAvx2: return "avx2";
    default: return "scalar";
  }
}

double read_bandwidth_gbs(std::size_t bytes, Isa isa) {
  const std::size_t floats = std::max<std::size_t>(bytes / sizeof(float) / 64 * 64, 64);
  grurt::tools::AlignedBytes block(floats * sizeof(float));  // aligned loads below
  float* const data = reinterpret_cast<float*>(block.data());
  std::fill(data, data + floats, 1.0f);
  const std::size_t passes = std::max<std::size_t>(1, (64u << 20) / (floats * sizeof(float)));
  const Code code = code_for(isa);
  volatile float sink = 0.0f;
  const double seconds = best_of(5, [&] {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t p = 0; p < passes; ++p) {
#if defined(GRURT_BOUND_X86)
      if (code == Code::kAvx512) {
        sink = sink + sum_avx512(data, floats);
        continue;
      }
      if (code == Code::kAvx2) {
        sink = sink + sum_avx2(data, floats);
        continue;
      }
#endif
      sink = sink + sum_scalar(data, floats);
    }
    return seconds_since(start);
  });
  (void)code;
  return static_cast<double>(passes * floats * sizeof(float)) / seconds / 1e9;
}

double step_bound_ns(double weight_bytes, double flops, double peak, Isa isa, double passes) {
  const double bandwidth = read_bandwidth_gbs(static_cast<std::size_t>(weight_bytes), isa);
  return std::max(passes * weight_bytes / bandwidth, flops / peak);
}

double peak_gflops(Isa isa) {
  const long iterations = 20'000'000;
  volatile float sink = 0.0f;
#if defined(GRURT_BOUND_X86)
  if (code_for(isa) == Code::kAvx512) {
    return iterations * 10.0 * 16 * 2 / best_of(5, [&] { return fma_seconds_avx512(iterations, sink); }) / 1e9;
  }
  return iterations * 10.0 * 8 * 2 / best_of(5, [&] { return fma_seconds_avx2(iterations, sink); }) / 1e9;
#else
  (void)isa;
  const double seconds = best_of(5, [&] {
    float a[8] = {};
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iterations; ++i)
      for (float& v : a) v = v * 0.999f + 0.001f;
    sink = sink + a[0];
    return seconds_since(start);
  });
  return iterations * 8.0 * 2 / seconds / 1e9;
#endif
}

}  // namespace grurt::bench
