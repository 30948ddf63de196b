// The SIMD kernels, written once over an xsimd architecture and instantiated
// by one small file per ISA (kernels_avx2.cpp, kernels_avx512.cpp,
// kernels_neon.cpp), each compiled with its own flags.
//
// gemv_panel16 streams each weight once, contiguously: a 16-row panel is
// 16/L vector accumulators (AVX-512: 1, AVX2: 2, NEON: 4) updated with one
// FMA per weight vector and column; no horizontal sums. Panels run in groups
// of 8 accumulators (AVX-512: 8 panels, AVX2: 4, NEON: 2), enough independent
// FMA chains to cover the FMA latency on two FMA units.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <xsimd/xsimd.hpp>

#include "activations_scalar.hpp"
#include "int8_matrix.hpp"
#include "kernel_table.hpp"

namespace grurt {
namespace kernels {
namespace {  // internal linkage: each ISA file gets its own copy

// The ISA's int8 dot products (an int8_matrix.hpp Dot): each ISA file
// specialises it (int8_x86.hpp, int8_neon.hpp).
template <class Arch>
struct Int8Dot;

// Loads kLanes f16 weights (aligned to their size) widened to floats: each ISA
// file specialises it with its own conversion instruction before instantiating
// SimdKernels (F16C, AVX-512F, NEON vcvt).
template <class Arch>
struct HalfLoad;

template <class Arch>
struct SimdKernels {
  using Batch = xsimd::batch<float, Arch>;
  static constexpr std::uint32_t kLanes = static_cast<std::uint32_t>(Batch::size);
  static constexpr std::uint32_t kVectors = kPanelRows / kLanes;  // accumulators per panel
  static constexpr std::uint32_t kGroup = kVectors >= 8 ? 1 : 8 / kVectors;  // panels per group
  static_assert(kPanelRows % kLanes == 0, "a panel is a whole number of vectors");

  // sigmoid(x) = 1/2 + tanh(x/2)/2: xsimd::tanh runs only a polynomial when
  // every lane is below 0.625 (gate pre-activations under 1.25, the common
  // case), where 1 / (1 + exp(-x)) always paid an exp and a division: GRU
  // (1, 32) steps 108 -> 99 ns, LSTM 150 -> 134 ns on Zen 5, and the error
  // against libm fell from 9e-8 to 4.7e-8.
  static Batch sigmoid(Batch x) {
    const Batch half(0.5f);
    return xsimd::fma(half, xsimd::tanh(half * x), half);
  }

  static Batch load_weights(const float* w) { return Batch::load_aligned(w); }
  static Batch load_weights(const Half* w) { return HalfLoad<Arch>::load(w); }

  // Matrices of at least this many bytes are beyond L2 on the CPUs grurt
  // targets: their products prefetch kPrefetchColumns columns ahead in each of
  // a group's panels (8 streams a panel apart are more than the hardware
  // prefetchers follow well; measured 15-20% faster at 4.6 MB on AMD Zen 5,
  // and slower on L2-resident matrices, which therefore do not).
  static constexpr std::size_t kPrefetchBytes = std::size_t{1} << 20;
  static constexpr std::uint32_t kPrefetchColumns = 8;

  template <std::uint32_t kPanels, bool kPrefetch, class W>
  static void panels(const W* w, std::uint32_t cols, const float* x, const float* bias, float* y) {
    Batch acc[kPanels][kVectors];
    for (std::uint32_t p = 0; p < kPanels; ++p)
      for (std::uint32_t v = 0; v < kVectors; ++v)
        acc[p][v] = bias != nullptr ? Batch::load_aligned(bias + p * kPanelRows + v * kLanes) : Batch(0.0f);
    const std::uintptr_t panel_stride = static_cast<std::uintptr_t>(cols) * kPanelRows;
    // `column` steps by a pointer: an index k * kPanelRows in 32 bits may wrap,
    // which kept the compiler from stepping it (6 more instructions per column).
    const W* first = w;
    for (std::uint32_t k = 0; k < cols; ++k, first += kPanelRows) {
      const Batch xk(x[k]);
      for (std::uint32_t p = 0; p < kPanels; ++p) {
        const W* column = first + p * panel_stride;
        if constexpr (kPrefetch) __builtin_prefetch(column + kPrefetchColumns * kPanelRows);
        for (std::uint32_t v = 0; v < kVectors; ++v) {
          acc[p][v] = xsimd::fma(load_weights(column + v * kLanes), xk, acc[p][v]);
        }
      }
    }
    for (std::uint32_t p = 0; p < kPanels; ++p)
      for (std::uint32_t v = 0; v < kVectors; ++v) acc[p][v].store_aligned(y + p * kPanelRows + v * kLanes);
  }

  // Runs groups of kPanels panels while they fit, then the rest in halves.
  template <std::uint32_t kPanels, bool kPrefetch, class W>
  static void panel_groups(const W* w, std::uint32_t& p, std::uint32_t count, std::uint32_t cols, const float* x,
                           const float* bias, float* y) {
    const std::uintptr_t panel_stride = static_cast<std::uintptr_t>(cols) * kPanelRows;
    for (; p + kPanels <= count; p += kPanels) {
      panels<kPanels, kPrefetch, W>(w + p * panel_stride, cols, x, bias != nullptr ? bias + p * kPanelRows : nullptr,
                                    y + p * kPanelRows);
    }
    if constexpr (kPanels > 1) panel_groups<kPanels / 2, kPrefetch, W>(w, p, count, cols, x, bias, y);
  }

  template <class W>
  static void gemv_panel16(const W* w, std::uint32_t count, std::uint32_t cols, const float* x, const float* bias,
                           float* y) {
    std::uint32_t p = 0;
    if (std::size_t{count} * cols * kPanelRows * sizeof(W) >= kPrefetchBytes) {
      panel_groups<kGroup, true, W>(w, p, count, cols, x, bias, y);
    } else {
      panel_groups<kGroup, false, W>(w, p, count, cols, x, bias, y);
    }
  }

  // kSteps input vectors through kPanels panels: W is loaded once per column
  // and used for every step; each accumulator sees the same FMA chain as in
  // panels<1> (bias, then column by column), so the outputs equal gemv's.
  template <std::uint32_t kSteps, std::uint32_t kPanels, class W>
  static void panel_steps(const W* w, std::uint32_t cols, const float* x, std::uint32_t x_stride,
                          const float* bias, float* y, std::uint32_t y_stride) {
    const std::uintptr_t panel_stride = static_cast<std::uintptr_t>(cols) * kPanelRows;
    Batch acc[kPanels][kSteps][kVectors];
    for (std::uint32_t p = 0; p < kPanels; ++p)
      for (std::uint32_t t = 0; t < kSteps; ++t)
        for (std::uint32_t v = 0; v < kVectors; ++v)
          acc[p][t][v] = bias != nullptr ? Batch::load_aligned(bias + p * kPanelRows + v * kLanes) : Batch(0.0f);
    const W* first = w;  // a pointer, as in panels()
    for (std::uint32_t k = 0; k < cols; ++k, first += kPanelRows) {
      Batch weights[kPanels][kVectors];
      for (std::uint32_t p = 0; p < kPanels; ++p)
        for (std::uint32_t v = 0; v < kVectors; ++v)
          weights[p][v] = load_weights(first + p * panel_stride + v * kLanes);
      for (std::uint32_t t = 0; t < kSteps; ++t) {
        const Batch xk(x[std::size_t{t} * x_stride + k]);
        for (std::uint32_t p = 0; p < kPanels; ++p)
          for (std::uint32_t v = 0; v < kVectors; ++v) acc[p][t][v] = xsimd::fma(weights[p][v], xk, acc[p][t][v]);
      }
    }
    for (std::uint32_t p = 0; p < kPanels; ++p)
      for (std::uint32_t t = 0; t < kSteps; ++t)
        for (std::uint32_t v = 0; v < kVectors; ++v)
          acc[p][t][v].store_aligned(y + t * y_stride + p * kPanelRows + v * kLanes);
  }

  // Panels per pass of the GEMM: enough accumulators for two FMA units
  // (at least 8 at 4 steps) within the registers: AVX-512 has 32, and its
  // panel is one vector; AVX2 (16 registers) and NEON take one panel of 2 or 4.
  static constexpr std::uint32_t kGemmPanels = kVectors == 1 ? 4 : 1;

  template <std::uint32_t kSteps, std::uint32_t kPanels, class W>
  static void panel_passes(const W* w, std::uint32_t count, std::uint32_t cols, const float* x,
                           std::uint32_t x_stride, const float* bias, float* y, std::uint32_t y_stride,
                           std::uint32_t& p) {
    const std::uintptr_t panel_stride = static_cast<std::uintptr_t>(cols) * kPanelRows;
    for (; p + kPanels <= count; p += kPanels) {
      panel_steps<kSteps, kPanels, W>(w + p * panel_stride, cols, x, x_stride,
                                      bias != nullptr ? bias + p * kPanelRows : nullptr, y + p * kPanelRows,
                                      y_stride);
    }
  }

  // More than 4 steps: AVX-512 takes 2 panels of all of them at once (16
  // accumulators); the others run a panel for steps 0-3, then for the rest,
  // while it is still in L1. Either way W comes from memory once.
  template <std::uint32_t kSteps, class W>
  static void gemm_steps(const W* w, std::uint32_t count, std::uint32_t cols, const float* x, std::uint32_t x_stride,
                         const float* bias, float* y, std::uint32_t y_stride) {
    std::uint32_t p = 0;
    if constexpr (kSteps > 4 && kVectors == 1) {
      panel_passes<kSteps, 2, W>(w, count, cols, x, x_stride, bias, y, y_stride, p);
      panel_passes<kSteps, 1, W>(w, count, cols, x, x_stride, bias, y, y_stride, p);
    } else if constexpr (kSteps > 4) {
      const std::uintptr_t panel_stride = static_cast<std::uintptr_t>(cols) * kPanelRows;
      for (; p < count; ++p) {
        const W* panel = w + p * panel_stride;
        const float* b = bias != nullptr ? bias + p * kPanelRows : nullptr;
        panel_steps<4, 1, W>(panel, cols, x, x_stride, b, y + p * kPanelRows, y_stride);
        panel_steps<kSteps - 4, 1, W>(panel, cols, x + 4 * x_stride, x_stride, b, y + 4 * y_stride + p * kPanelRows,
                                      y_stride);
      }
    } else {
      panel_passes<kSteps, kGemmPanels, W>(w, count, cols, x, x_stride, bias, y, y_stride, p);
      panel_passes<kSteps, 1, W>(w, count, cols, x, x_stride, bias, y, y_stride, p);
    }
  }

  template <class W>
  static void gemm_panel16(const W* w, std::uint32_t count, std::uint32_t cols, const float* x,
                           std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y,
                           std::uint32_t y_stride) {
    static_assert(kMaxGemmSteps <= 8, "gemm_panel16 has cases for up to 8 steps");
    switch (steps) {
      case 8: gemm_steps<8, W>(w, count, cols, x, x_stride, bias, y, y_stride); break;
      case 7: gemm_steps<7, W>(w, count, cols, x, x_stride, bias, y, y_stride); break;
      case 6: gemm_steps<6, W>(w, count, cols, x, x_stride, bias, y, y_stride); break;
      case 5: gemm_steps<5, W>(w, count, cols, x, x_stride, bias, y, y_stride); break;
      case 4: gemm_steps<4, W>(w, count, cols, x, x_stride, bias, y, y_stride); break;
      case 3: gemm_steps<3, W>(w, count, cols, x, x_stride, bias, y, y_stride); break;
      case 2: gemm_steps<2, W>(w, count, cols, x, x_stride, bias, y, y_stride); break;
      default: gemm_steps<1, W>(w, count, cols, x, x_stride, bias, y, y_stride); break;
    }
  }

  // The gate and candidate activations as function objects: one template per
  // kernel serves the default GRU (Logistic, Tanh: the same operations as
  // ever) and every variant. Relu and HardGate use comparisons and selects,
  // as the scalar kernels do, so NaN passes through on every ISA.
  struct Logistic {
    Batch operator()(Batch x) const { return sigmoid(x); }
  };
  struct HardGate {
    Batch slope, offset;
    Batch operator()(Batch x) const {
      const Batch v = x * slope + offset;
      const Batch zero(0.0f), one(1.0f);
      return xsimd::select(v < zero, zero, xsimd::select(v > one, one, v));
    }
  };
  struct Tanh {
    Batch operator()(Batch x) const { return xsimd::tanh(x); }
  };
  struct Relu {
    Batch operator()(Batch x) const {
      const Batch zero(0.0f);
      return xsimd::select(x < zero, zero, x);
    }
  };

  // Calls f(gate, candidate) with the function objects `a` asks for.
  template <class F>
  static void with_activations(const GruActivations& a, F&& f) {
    with_gate(a, [&](auto gate) {
      if (a.relu_candidate) f(gate, Relu{}); else f(gate, Tanh{});
    });
  }

  // Calls f(gate) with the gate function object `a` asks for.
  template <class F>
  static void with_gate(const GateActivations& a, F&& f) {
    if (a.hard_gates) {
      f(HardGate{Batch(a.slope), Batch(a.offset)});
    } else {
      f(Logistic{});
    }
  }

  // Elementwise kernels run over whole vectors: `count` rounded up to kLanes
  // stays inside the panel padding of every buffer they touch.
  template <class Gate, class Candidate>
  static void update_reset_after(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count, Gate gate,
                                 Candidate candidate, float* h) {
    for (std::uint32_t i = 0; i < count; i += kLanes) {
      const Batch r = gate(Batch::load_aligned(gx + i) + Batch::load_aligned(gh + i));
      const Batch z = gate(Batch::load_aligned(gx + hp + i) + Batch::load_aligned(gh + hp + i));
      const Batch n = candidate(xsimd::fma(r, Batch::load_aligned(gh + 2 * hp + i), Batch::load_aligned(gx + 2 * hp + i)));
      const Batch old = Batch::load_aligned(h + i);
      xsimd::fma(z, old - n, n).store_aligned(h + i);
    }
  }

  template <class Gate>
  static void reset_hidden(const float* gx, const float* gh, const float* h, std::uint32_t count, Gate gate,
                           float* rh) {
    for (std::uint32_t i = 0; i < count; i += kLanes) {
      const Batch r = gate(Batch::load_aligned(gx + i) + Batch::load_aligned(gh + i));
      (r * Batch::load_aligned(h + i)).store_aligned(rh + i);
    }
  }

  template <class Gate, class Candidate>
  static void update_reset_before(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count, Gate gate,
                                  Candidate candidate, float* h) {
    for (std::uint32_t i = 0; i < count; i += kLanes) {
      const Batch z = gate(Batch::load_aligned(gx + hp + i) + Batch::load_aligned(gh + hp + i));
      const Batch n = candidate(Batch::load_aligned(gx + 2 * hp + i) + Batch::load_aligned(gh + 2 * hp + i));
      const Batch old = Batch::load_aligned(h + i);
      xsimd::fma(z, old - n, n).store_aligned(h + i);
    }
  }

  // Each entry tests the variant once per call (with_activations); the
  // default GRU runs the Logistic, Tanh instantiation.
  static void gru_update_reset_after(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                                     const GruActivations& a, float* h) {
    with_activations(a, [&](auto gate, auto candidate) { update_reset_after(gx, gh, hp, count, gate, candidate, h); });
  }

  static void gru_reset_hidden(const float* gx, const float* gh, const float* h, std::uint32_t count,
                               const GruActivations& a, float* rh) {
    with_activations(a, [&](auto gate, auto) { reset_hidden(gx, gh, h, count, gate, rh); });
  }

  static void gru_update_reset_before(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                                      const GruActivations& a, float* h) {
    with_activations(a,
                     [&](auto gate, auto candidate) { update_reset_before(gx, gh, hp, count, gate, candidate, h); });
  }

  // Whole vectors, as the GRU kernels; the peephole is padded per gate like
  // the biases, so its padded lanes are zeros.
  template <class Gate>
  static void lstm_cell(const float* gx, const float* gh, const float* peephole, std::uint32_t hp,
                        std::uint32_t count, Gate gate, float* c, float* h) {
    for (std::uint32_t k = 0; k < count; k += kLanes) {
      const Batch old = Batch::load_aligned(c + k);
      Batch pre_i = Batch::load_aligned(gx + k) + Batch::load_aligned(gh + k);
      Batch pre_f = Batch::load_aligned(gx + hp + k) + Batch::load_aligned(gh + hp + k);
      if (peephole != nullptr) {
        pre_i = xsimd::fma(Batch::load_aligned(peephole + k), old, pre_i);
        pre_f = xsimd::fma(Batch::load_aligned(peephole + hp + k), old, pre_f);
      }
      const Batch i = gate(pre_i);
      const Batch f = gate(pre_f);
      const Batch g = xsimd::tanh(Batch::load_aligned(gx + 2 * hp + k) + Batch::load_aligned(gh + 2 * hp + k));
      const Batch cell = xsimd::fma(f, old, i * g);
      Batch pre_o = Batch::load_aligned(gx + 3 * hp + k) + Batch::load_aligned(gh + 3 * hp + k);
      if (peephole != nullptr) pre_o = xsimd::fma(Batch::load_aligned(peephole + 2 * hp + k), cell, pre_o);
      cell.store_aligned(c + k);
      (gate(pre_o) * xsimd::tanh(cell)).store_aligned(h + k);
    }
  }

  // Tests the gate variant once per call (with_gate); the default LSTM runs
  // the Logistic instantiation.
  static void lstm_update(const float* gx, const float* gh, const float* peephole, std::uint32_t hp,
                          std::uint32_t count, const GateActivations& a, float* c, float* h) {
    with_gate(a, [&](auto gate) { lstm_cell(gx, gh, peephole, hp, count, gate, c, h); });
  }

  // Fused steps of small layers (kernel_table.hpp CellStep). A gate's first
  // kV vectors (its rows rounded up to whole vectors; a panel may hold more)
  // of every gate at once, one FMA chain per vector as panels() runs it (bias,
  // then column by column): y + g * hp + v * kLanes for g < kGates, v < kV.
  static constexpr std::uint32_t kMaxCellAccumulators = 12;

  // kBias: whether `bias` is there (a test inside kept the accumulators on the stack).
  template <std::uint32_t kGates, std::uint32_t kV, bool kBias, class W>
  static void gate_products(const W* w, std::uint32_t cols, std::uint32_t hp, const float* x, const float* bias,
                            float* y) {
    static_assert(kGates * kV <= kMaxCellAccumulators, "the accumulators and x[k] fit in the registers");
    const std::uintptr_t panel_stride = static_cast<std::uintptr_t>(cols) * kPanelRows;
    const std::uintptr_t gate_stride = static_cast<std::uintptr_t>(cols) * hp;
    // A layer has at least one column, so the loop runs at least once: with a
    // zero-trip path the compiler kept the accumulators on the stack.
    Batch acc[kGates][kV];
    for (std::uint32_t g = 0; g < kGates; ++g)
      for (std::uint32_t v = 0; v < kV; ++v)
        acc[g][v] = kBias ? Batch::load_aligned(bias + g * hp + v * kLanes) : Batch(0.0f);
    const W* first = w;
    const W* const end = w + panel_stride;
    do {
      const Batch xk(*x++);
      for (std::uint32_t g = 0; g < kGates; ++g)
        for (std::uint32_t v = 0; v < kV; ++v) {
          const W* column = first + g * gate_stride + (v / kVectors) * panel_stride + (v % kVectors) * kLanes;
          acc[g][v] = xsimd::fma(load_weights(column), xk, acc[g][v]);
        }
      first += kPanelRows;
    } while (first != end);
    for (std::uint32_t g = 0; g < kGates; ++g)
      for (std::uint32_t v = 0; v < kV; ++v) acc[g][v].store_aligned(y + g * hp + v * kLanes);
  }

  // gate_products of kGates gates, in passes of as many as fit the registers.
  template <std::uint32_t kGates, std::uint32_t kV, class W>
  static void all_gate_products(const W* w, std::uint32_t cols, std::uint32_t hp, const float* x, const float* bias,
                                float* y) {
    if constexpr (kGates * kV <= kMaxCellAccumulators) {
      if (bias != nullptr) {
        gate_products<kGates, kV, true, W>(w, cols, hp, x, bias, y);
      } else {
        gate_products<kGates, kV, false, W>(w, cols, hp, x, bias, y);
      }
    } else {
      constexpr std::uint32_t kHalf = kGates / 2;
      all_gate_products<kHalf, kV, W>(w, cols, hp, x, bias, y);
      all_gate_products<kGates - kHalf, kV, W>(w + std::uintptr_t{kHalf} * hp * cols, cols, hp, x,
                                               bias != nullptr ? bias + kHalf * hp : nullptr, y + kHalf * hp);
    }
  }

  // W x + bW into scratch, unless the block steps' projection gave it.
  template <std::uint32_t kGates, std::uint32_t kV, class W>
  static const float* input_products(const LayerView& layer, const float* x, const float* gx, float* scratch) {
    if (gx != nullptr) return gx;
    all_gate_products<kGates, kV, W>(static_cast<const W*>(layer.weight.data), layer.weight.cols,
                                     layer.padded_output, x, layer.bias, scratch);
    return scratch;
  }

  // The GRU's step (gru.cpp step(): gx, gh and r * h at scratch + 0, 3hp, 6hp).
  template <std::uint32_t kV, class W>
  static void gru_cell(const LayerView& layer, const float* x, const float* given_gx, float* h, float*,
                       float* scratch) {
    const std::uint32_t hp = layer.padded_output;
    const std::uint32_t H = layer.output_size;
    const auto* r = static_cast<const W*>(layer.recurrent.data);
    const std::uint32_t cols = layer.recurrent.cols;
    const float* bR = layer.recurrent_bias;
    const float* gx = input_products<3, kV, W>(layer, x, given_gx, scratch);
    float* gh = scratch + 3 * hp;
    if (layer.reset_after) {
      all_gate_products<3, kV, W>(r, cols, hp, h, bR, gh);
      update_reset_after(gx, gh, hp, H, Logistic{}, Tanh{}, h);
      return;
    }
    float* rh = scratch + 6 * hp;
    all_gate_products<2, kV, W>(r, cols, hp, h, bR, gh);
    reset_hidden(gx, gh, h, H, Logistic{}, rh);
    all_gate_products<1, kV, W>(r + std::uintptr_t{2} * hp * cols, cols, hp, rh, bR != nullptr ? bR + 2 * hp : nullptr,
                                gh + 2 * hp);
    update_reset_before(gx, gh, hp, H, Logistic{}, Tanh{}, h);
  }

  // The LSTM's step without a projection (lstm.cpp step(): gx, gh at scratch + 0, 4hp).
  template <std::uint32_t kV, class W>
  static void lstm_cell_step(const LayerView& layer, const float* x, const float* given_gx, float* h, float* c,
                             float* scratch) {
    const std::uint32_t hp = layer.padded_output;
    const float* gx = input_products<4, kV, W>(layer, x, given_gx, scratch);
    float* gh = scratch + 4 * hp;
    all_gate_products<4, kV, W>(static_cast<const W*>(layer.recurrent.data), layer.recurrent.cols, hp, h,
                                layer.recurrent_bias, gh);
    lstm_cell(gx, gh, layer.peephole, hp, layer.cell_size, Logistic{}, c, h);
  }

  template <class W>
  static constexpr void small_cells_of(SmallCells& cells, ElementType type) {
    const int t = static_cast<int>(type);
    cells.gru[t][0] = gru_cell<1, W>;
    cells.gru[t][1] = gru_cell<2, W>;
    cells.gru[t][2] = gru_cell<3, W>;
    cells.gru[t][3] = gru_cell<4, W>;
    cells.lstm[t][0] = lstm_cell_step<1, W>;
    cells.lstm[t][1] = lstm_cell_step<2, W>;
    cells.lstm[t][2] = lstm_cell_step<3, W>;
    cells.lstm[t][3] = lstm_cell_step<4, W>;
  }

  static constexpr SmallCells small_cells() {
    static_assert(kSmallCellVectors == 4, "small_cells_of fills 4 sizes");
    SmallCells cells;
    cells.lanes = kLanes;
    small_cells_of<float>(cells, ElementType::kF32);
    small_cells_of<Half>(cells, ElementType::kF16);
    return cells;
  }

  static void rnn_update(const float* gx, const float* gh, std::uint32_t count, Activation activation, float* h) {
    const bool relu = activation == Activation::kRelu;
    for (std::uint32_t i = 0; i < count; i += kLanes) {
      const Batch sum = Batch::load_aligned(gx + i) + Batch::load_aligned(gh + i);
      (relu ? xsimd::max(sum, Batch(0.0f)) : xsimd::tanh(sum)).store_aligned(h + i);
    }
  }

  static void activate(Activation activation, float* values, std::uint32_t count) {
    if (activation == Activation::kIdentity || activation == Activation::kSoftmax) {
      kernels::activate(activation, values, count);  // nothing to do / needs the exact count
      return;
    }
    for (std::uint32_t i = 0; i < count; i += kLanes) {
      const Batch x = Batch::load_aligned(values + i);
      Batch y = x;
      if (activation == Activation::kTanh) y = xsimd::tanh(x);
      if (activation == Activation::kSigmoid) y = sigmoid(x);
      if (activation == Activation::kRelu) y = xsimd::max(x, Batch(0.0f));
      y.store_aligned(values + i);
    }
  }

  static constexpr KernelTable table(Isa isa) {
    return {isa,
            {{unscaled_gemv<float, gemv_panel16<float>>, unscaled_gemm<float, gemm_panel16<float>>},
             {unscaled_gemv<Half, gemv_panel16<Half>>, unscaled_gemm<Half, gemm_panel16<Half>>},
             {Int8Matrix<Int8Dot<Arch>>::gemv, Int8Matrix<Int8Dot<Arch>>::gemm}},
            gru_update_reset_after,
            gru_reset_hidden,
            gru_update_reset_before,
            lstm_update,
            rnn_update,
            activate,
            small_cells()};
  }
};

}  // namespace
}  // namespace kernels
}  // namespace grurt
