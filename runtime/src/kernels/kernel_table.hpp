// The primitives layer steps call, one table per ISA, chosen once at
// Session::init (the ISA list in isa_list.cpp says which tables exist).
//
// Matrix products have one entry per weight element type (ElementType), so a
// new weight type adds entries to the tables, not branches to the layers.
// f32 and f16 weights run the same float arithmetic: an f16 weight is widened
// to exactly its float value, then multiplied as an f32 weight would be.
//
// Vectors passed to the elementwise kernels are padded to whole panels (16
// floats): SIMD versions may read and write up to round_up(count, lanes)
// elements, never past the padding.
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt/isa.hpp"
#include "grurt/model.hpp"

namespace grurt {
namespace kernels {

// Columns (steps of one stream, or streams) one pass of a GEMM serves: the
// block of Session::run() and of BatchSession::step(). Microcontrollers read
// their weights from flash at the same cost per column either way (their
// products run column by column), so they keep one column's buffers only.
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
constexpr std::uint32_t kMaxGemmSteps = 1;
#else
constexpr std::uint32_t kMaxGemmSteps = 8;
#endif

// Whether this build's tables may have fused small-layer steps (SmallCells):
// microcontrollers have only the scalar and Helium tables, which have none,
// so their step() does not test for one.
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
constexpr bool kFusedCellsBuilt = false;
#else
constexpr bool kFusedCellsBuilt = true;
#endif

// Products with a packed matrix of one element type. `w` points at the first
// stored row of the panels used and `row_scales` (I8) at its scale. `work` is
// scratch for the product (I8: the quantized input, int8_work_bytes(cols);
// f32, f16: unused), see matrix_work_floats().
struct MatrixKernels {
  // y[panels * 16] = W x (+ bias[panels * 16] when not null), W stored as
  // `panels` panels of cols x 16 values (column k of panel p at (p*cols + k)*16;
  // I8: the Panel16x4 layout). Only y's first `rows` rows are needed: a kernel
  // may write the bias (or 0) to the rest instead of their products (the
  // scalar ones do: a Dense(16 -> 1) is one row of a 16-row panel).
  void (*gemv)(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t rows, std::uint32_t cols,
               const float* x, const float* bias, float* y, void* work);
  // For t < steps (at most kMaxGemmSteps): y[t * y_stride ..] = W x_t (+ bias),
  // x_t at x + t * x_stride; each output is computed exactly as gemv computes
  // it (same operations, same order), but W is read once for all steps
  // (I8: step by step, each input quantized with its own scale).
  void (*gemm)(const void* w, const float* row_scales, std::uint32_t panels, std::uint32_t cols, const float* x,
               std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride,
               void* work);
};

// A layer's gate activation (schema GateActivation: GRU r, z; LSTM i, f, o).
// The kernels test standard() once per call, not per element, so the default
// layer runs the same loop as before variants existed.
struct GateActivations {
  bool hard_gates = false;  // gate = clip(slope * x + offset, 0, 1) instead of sigmoid(x)
  float slope = 0.2f;
  float offset = 0.5f;
  bool standard() const { return !hard_gates; }
};

// A GRU's gate and candidate activations (the schema's GruLayer variants).
struct GruActivations : GateActivations {
  bool relu_candidate = false;  // n = max(x, 0) instead of tanh(x)
  bool standard() const { return !hard_gates && !relu_candidate; }
};

// A fused step of a small GRU or LSTM layer: every gate's products (W x +
// bW, R h + bR) and the gate math in one call, no table calls in between
// (c: the LSTM's cell, null for a GRU). With `gx` (W x + bW, as the block
// steps' input projection computed it) it takes that instead of x. Each
// value is computed with the same operations in the same order as the
// separate products and gate kernels compute it, so step() stays bit for bit
// run() and BatchSession. `scratch` is the layer's (its gate vectors at the
// offsets the layer's step uses).
using CellStep = void (*)(const LayerView& layer, const float* x, const float* gx, float* h, float* c,
                          float* scratch);

// Bytes of weight matrices a model may have for its layers to take fused
// steps: a fused step reads every gate's panels at once, more streams than
// the prefetchers follow well when the weights come from L2, as a larger
// model's other layers make them. Measured on AVX-512 (Zen 5): fusing the amp
// model GRU(1 -> 64) -> GRU(64 -> 64) -> Dense (150 KiB) made its step 1250
// -> 1500 ns (1300 with only its first GRU fused), while a lone GRU (16, 64),
// 60 KiB, gained 380 -> 310 ns and an LSTM (1, 64), 65 KiB, 490 -> 435 ns.
constexpr std::size_t kSmallCellBytes = 80 * 1024;

// Vectors per gate a fused step keeps in registers at most (a GRU's three
// gates: 12 accumulators; an LSTM's four run in two passes of two).
constexpr std::uint32_t kSmallCellVectors = 4;

// An ISA's fused steps, by weight type (f32, f16: W and R of the same type)
// and vectors per gate (1 .. kSmallCellVectors, the gate's rows rounded up
// to whole vectors of `lanes` floats); for the standard activations only.
struct SmallCells {
  std::uint32_t lanes = 0;  // 0: the ISA has none (scalar, Helium)
  CellStep gru[2][kSmallCellVectors] = {};   // reset after or before
  CellStep lstm[2][kSmallCellVectors] = {};  // without a projection; a peephole or not
};

struct KernelTable {
  Isa isa;
  MatrixKernels matrix[kElementTypeCount];  // indexed by ElementType
  // GRU gate rows at gx/gh + 0, + hp, + 2*hp (r, z, n); updates h[0..count).
  // sigmoid and tanh below stand for a's gate and candidate activations:
  //   reset after:  n = tanh(gx_n + r * gh_n)      h = n + z * (h - n)
  void (*gru_update_reset_after)(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                                 const GruActivations& a, float* h);
  //   reset before, first half: rh = sigmoid(gx_r + gh_r) * h
  void (*gru_reset_hidden)(const float* gx, const float* gh, const float* h, std::uint32_t count,
                           const GruActivations& a, float* rh);
  //   reset before, second half (gh_n = R_n (r * h) + bR_n): n = tanh(gx_n + gh_n)
  void (*gru_update_reset_before)(const float* gx, const float* gh, std::uint32_t hp, std::uint32_t count,
                                  const GruActivations& a, float* h);
  // LSTM gate rows at gx/gh + 0, + hp, + 2*hp, + 3*hp (i, f, g, o) and an
  // optional peephole (p_i, p_f, p_o, hp apart; null: none); updates
  // c[0..count) and writes h[0..count) (sigmoid stands for a's gate activation):
  //   i = sigmoid(gx_i + gh_i + p_i c)  f = sigmoid(gx_f + gh_f + p_f c)  g = tanh(gx_g + gh_g)
  //   c = f c + i g                     o = sigmoid(gx_o + gh_o + p_o c)  h = o tanh(c)
  void (*lstm_update)(const float* gx, const float* gh, const float* peephole, std::uint32_t hp, std::uint32_t count,
                      const GateActivations& a, float* c, float* h);
  // Elman RNN: h[0..count) = activation(gx + gh), activation tanh or relu.
  void (*rnn_update)(const float* gx, const float* gh, std::uint32_t count, Activation activation, float* h);
  // values[0..count) = activation(values); softmax over exactly `count`.
  void (*activate)(Activation activation, float* values, std::uint32_t count);
  SmallCells small;
};


// The scalar table (every build has it) and the table of `isa`, null when
// this build has none; isa_available() says whether the CPU can run it.
const KernelTable& scalar_kernels() noexcept;
const KernelTable* kernels_for(Isa isa) noexcept;

// Bytes of the work buffer an I8 product quantizes its input into: whole
// 64-byte lines.
constexpr std::size_t int8_work_bytes(std::uint32_t cols) noexcept {
  return (std::size_t{int8_padded_columns(cols)} + 63) / 64 * 64;
}

// Columns a packed matrix stores per row (its padding included).
inline std::uint32_t stored_columns(const WeightView& w) noexcept {
  return w.type == ElementType::kI8 ? int8_padded_columns(w.cols) : w.cols;
}

// The fused step of `steps` (k.small.gru or .lstm) for a layer whose gates
// have `rows` rows each, or null: the ISA has none, the gates are too many
// vectors, or W and R are not both f32 or both f16 (network.cpp also
// checks the model's size against kSmallCellBytes).
inline CellStep small_cell_step(const KernelTable& k, const CellStep (&steps)[2][kSmallCellVectors],
                                const LayerView& layer, std::uint32_t rows) noexcept {
  const ElementType type = layer.weight.type;
  if (k.small.lanes == 0 || type != layer.recurrent.type || type == ElementType::kI8) return nullptr;
  const std::uint32_t vectors = (rows + k.small.lanes - 1) / k.small.lanes;
  return vectors <= kSmallCellVectors ? steps[static_cast<int>(type)][vectors - 1] : nullptr;
}

// Rows [first_row, first_row + panels * 16) of a packed matrix: `first_row`
// is a stored (padded) row, a multiple of 16.
inline WeightView panel_rows(const WeightView& w, std::uint32_t first_row) noexcept {
  WeightView rows = w;
  const std::uintptr_t row_bytes = std::uintptr_t{stored_columns(w)} * element_bytes(w.type);
  rows.data = static_cast<const unsigned char*>(w.data) + first_row * row_bytes;
  if (w.row_scales != nullptr) rows.row_scales = w.row_scales + first_row;
  return rows;
}

// y = W x + bias over the first `panels` panels of W (all of them in the
// overload without `panels`), through the entry for W's element type.
// `work` holds matrix_work_floats(w) floats.
inline void gemv(const KernelTable& k, const WeightView& w, std::uint32_t panels, const float* x, const float* bias,
                 float* y, float* work) noexcept {
  k.matrix[static_cast<int>(w.type)].gemv(w.data, w.row_scales, panels, panels * kPanelRows, w.cols, x, bias, y, work);
}

inline void gemv(const KernelTable& k, const WeightView& w, const float* x, const float* bias, float* y,
                 float* work) noexcept {
  gemv(k, w, w.panels, x, bias, y, work);
}

// As gemv over all of W when only its first `rows` rows are needed (W is one
// block of rows, as in Dense, RNN and an LSTM's projection); the rest of the
// last panel may hold the bias instead of products.
inline void gemv_first_rows(const KernelTable& k, const WeightView& w, std::uint32_t rows, const float* x,
                            const float* bias, float* y, float* work) noexcept {
  k.matrix[static_cast<int>(w.type)].gemv(w.data, w.row_scales, w.panels, rows, w.cols, x, bias, y, work);
}

// For t < steps: y + t * y_stride = W (x + t * x_stride) + bias, over the
// first `panels` panels of W (all of them in the overload without `panels`).
inline void gemm(const KernelTable& k, const WeightView& w, std::uint32_t panels, const float* x,
                 std::size_t x_stride, std::uint32_t steps, const float* bias, float* y, std::size_t y_stride,
                 float* work) noexcept {
  k.matrix[static_cast<int>(w.type)].gemm(w.data, w.row_scales, panels, w.cols, x,
                                          static_cast<std::uint32_t>(x_stride), steps, bias, y,
                                          static_cast<std::uint32_t>(y_stride), work);
}

inline void gemm(const KernelTable& k, const WeightView& w, const float* x, std::size_t x_stride,
                 std::uint32_t steps, const float* bias, float* y, std::size_t y_stride, float* work) noexcept {
  gemm(k, w, w.panels, x, x_stride, steps, bias, y, y_stride, work);
}

// Bytes of a packed matrix as stored (0 for an absent one; row scales not counted).
inline std::size_t matrix_bytes(const WeightView& w) noexcept {
  return w ? std::size_t{w.panels} * kPanelRows * stored_columns(w) * element_bytes(w.type) : 0;
}

// Floats of work a product with `w` needs (whole 64-byte lines; 0 for f32 and
// f16, and for an absent matrix): I8 quantizes its input there.
inline std::size_t matrix_work_floats(const WeightView& w) noexcept {
  return w && w.type == ElementType::kI8 ? int8_work_bytes(w.cols) / sizeof(float) : 0;
}

// The entries of a table for a weight type without row scales (f32, and f16
// widened to f32 as it is read), from kernels written over `W` weights.
template <class W, void (*kGemv)(const W*, std::uint32_t, std::uint32_t, const float*, const float*, float*)>
void unscaled_gemv(const void* w, const float*, std::uint32_t panels, std::uint32_t, std::uint32_t cols,
                   const float* x, const float* bias, float* y, void*) {
  kGemv(static_cast<const W*>(w), panels, cols, x, bias, y);
}

template <class W, void (*kGemm)(const W*, std::uint32_t, std::uint32_t, const float*, std::uint32_t, std::uint32_t,
                                 const float*, float*, std::uint32_t)>
void unscaled_gemm(const void* w, const float*, std::uint32_t panels, std::uint32_t cols, const float* x,
                   std::uint32_t x_stride, std::uint32_t steps, const float* bias, float* y, std::uint32_t y_stride,
                   void*) {
  kGemm(static_cast<const W*>(w), panels, cols, x, x_stride, steps, bias, y, y_stride);
}

// f16 weights are IEEE binary16 bit patterns.
using Half = std::uint16_t;

}  // namespace kernels
}  // namespace grurt
