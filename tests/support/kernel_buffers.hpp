// Buffers and comparisons for calling kernel tables directly: aligned,
// panel-padded float vectors, uniform fills, a relative element check.
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "support/model_buffer.hpp"

namespace grurt::test {

// A 64-byte aligned vector of T (floats; f16 weights' bit patterns) with room
// for a whole extra panel, so a kernel may run past `size` to the end of its
// last panel.
template <class T>
struct PanelPadded {
  explicit PanelPadded(std::size_t n) : bytes(std::vector<std::uint8_t>((n + 16) * sizeof(T))), size(n) {}
  T* data() { return reinterpret_cast<T*>(bytes.data()); }
  AlignedBytes bytes;
  std::size_t size;
};
using Floats = PanelPadded<float>;

inline void fill(std::mt19937& rng, float* values, std::size_t count, float scale) {
  std::uniform_real_distribution<float> uniform(-scale, scale);
  for (std::size_t i = 0; i < count; ++i) values[i] = uniform(rng);
}

// |a - b| <= tolerance * max(1, |b|), naming the index, shape and ISA on failure.
inline void require_near(const float* actual, const float* expected, std::size_t count, double tolerance,
                         const std::string& context) {
  for (std::size_t i = 0; i < count; ++i) {
    const double limit = tolerance * std::fmax(1.0, std::fabs(expected[i]));
    if (!(std::fabs(static_cast<double>(actual[i]) - expected[i]) <= limit)) {
      FAIL(context << ": index " << i << ": " << actual[i] << " vs scalar " << expected[i]);
    }
  }
}

}  // namespace grurt::test
