// The primitives a packed (Panel16) layer step calls, one table per ISA,
// chosen once at Session::init.
//
// Naming: <op>_<layout>_<isa> in the ISA files, e.g. the AVX2 GEMV over
// 16-row k-major panels is gemv_panel16 in kernels_avx2.cpp's table.
//
// Vectors passed to the elementwise kernels are padded to whole panels (16
// floats): SIMD versions may read and write up to round_up(count, lanes)
// elements, never past the padding.
#pragma once

#include <cstdint>

#include "grurt/isa.hpp"
#include "grurt/model.hpp"

namespace grurt {
namespace kernels {

constexpr std::uint32_t kMaxGemmSteps = 4;

struct KernelTable {
  Isa isa;
  // y[panels * 16] = W x (+ bias[panels * 16] when not null), W stored as
  // `panels` panels of cols x 16 floats (column k of panel p at (p*cols + k)*16).
  void (*gemv_panel16)(const float* w, std::uint32_t panels, std::uint32_t cols, const float* x, const float* bias,
                       float* y);
  // For t < steps (at most kMaxGemmSteps): y[t * y_stride ..] = W x_t (+ bias),
  // x_t at x + t * x_stride; each output is computed exactly as gemv_panel16
  // computes it (same operations, same order), but W is read once for all steps.
  void (*gemm_panel16)(const float* w, std::uint32_t panels, std::uint32_t cols, const float* x,
                       std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y,
                       std::uint32_t y_stride);
  // Gate rows at gx/gh + 0, + hp, + 2*hp (r, z, n); updates h[0..count):
  //   reset after:  n = tanh(gx_n + r * gh_n)      h = n + z * (h - n)
  void (*gru_update_reset_after)(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count, float* h);
  //   reset before, first half: rh = sigmoid(gx_r + gh_r) * h
  void (*gru_reset_hidden)(const float* gx, const float* gh, const float* h, std::uint32_t count, float* rh);
  //   reset before, second half (gh_n = R_n (r * h) + bR_n): n = tanh(gx_n + gh_n)
  void (*gru_update_reset_before)(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count, float* h);
  // values[0..count) = activation(values); softmax over exactly `count`.
  void (*activate)(Activation activation, float* values, std::uint32_t count);
};

// Every table this build has, scalar first; entries the CPU cannot run are
// still listed (isa_available() filters).
const KernelTable& scalar_kernels() noexcept;
const KernelTable* kernels_for(Isa isa) noexcept;  // null when not built

}  // namespace kernels
}  // namespace grurt
