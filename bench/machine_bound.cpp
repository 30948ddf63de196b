#include "machine_bound.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "aligned_bytes.hpp"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
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

}  // namespace

const char* bound_isa() {
#if defined(__AVX2__) && defined(__FMA__)
  return "avx2";
#else
  return "scalar";
#endif
}

double read_bandwidth_gbs(std::size_t bytes) {
  const std::size_t floats = std::max<std::size_t>(bytes / sizeof(float) / 64 * 64, 64);
  grurt::tools::AlignedBytes block(floats * sizeof(float));  // aligned loads below
  float* const data = reinterpret_cast<float*>(block.data());
  std::fill(data, data + floats, 1.0f);
  const std::size_t passes = std::max<std::size_t>(1, (64u << 20) / (floats * sizeof(float)));
  volatile float sink = 0.0f;
  const double seconds = best_of(5, [&] {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t p = 0; p < passes; ++p) {
#if defined(__AVX2__) && defined(__FMA__)
      __m256 a[8];
      for (auto& v : a) v = _mm256_setzero_ps();
      for (std::size_t i = 0; i < floats; i += 64)
        for (int v = 0; v < 8; ++v) a[v] = _mm256_add_ps(a[v], _mm256_load_ps(data + i + 8 * v));
      for (int v = 1; v < 8; ++v) a[0] = _mm256_add_ps(a[0], a[v]);
      sink = sink + _mm256_cvtss_f32(a[0]);
#else
      float a[16] = {};
      for (std::size_t i = 0; i < floats; i += 16)
        for (int v = 0; v < 16; ++v) a[v] += data[i + v];
      sink = sink + a[0] + a[15];
#endif
    }
    return seconds_since(start);
  });
  return static_cast<double>(passes * floats * sizeof(float)) / seconds / 1e9;
}

double step_bound_ns(double weight_bytes, double flops, double peak) {
  const double bandwidth = read_bandwidth_gbs(static_cast<std::size_t>(weight_bytes));
  return std::max(weight_bytes / bandwidth, flops / peak);
}

double peak_gflops() {
  const long iterations = 20'000'000;
  volatile float sink = 0.0f;
#if defined(__AVX2__) && defined(__FMA__)
  const double seconds = best_of(5, [&] {
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
  });
  return iterations * 10.0 * 8 * 2 / seconds / 1e9;
#else
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
