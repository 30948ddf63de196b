// Bare-metal check of the Helium kernels on a Cortex-M55 (QEMU's mps3-an547):
// the `helium` table's f32 and int8 products and GRU and LSTM kernels against
// the scalar table's on many shapes (columns that are not multiples of 4 or 16,
// one column, several panels, with and without bias; sizes that leave part of
// a vector, saturation, NaN), then the demo model stepped through a helium
// session and a scalar one side by side. Prints one line per failure and
// succeeds only when every comparison holds.
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>

#include "demo_model.h"
#include "demo_reference.h"
#include "grurt/grurt.hpp"
#include "kernels/kernel_table.hpp"
extern "C" {
#include "put_text.h"
#include "semihost.h"
}

namespace {

using grurt::Isa;
using grurt::kernels::KernelTable;
constexpr int kF32 = static_cast<int>(grurt::ElementType::kF32);
constexpr std::uint32_t kMaxPanels = 5, kMaxCols = 64, kMaxRows = kMaxPanels * 16;

alignas(64) float weights[kMaxRows * kMaxCols];
alignas(64) float input[kMaxCols];
alignas(64) float bias[kMaxRows];
alignas(64) float scalar_out[kMaxRows];
alignas(64) float helium_out[kMaxRows];
alignas(64) std::int8_t int8_weights[kMaxRows * kMaxCols];
alignas(64) float row_scales[kMaxRows];
alignas(64) std::int8_t int8_work[kMaxCols];
alignas(64) float gates_x[4 * kMaxRows];
alignas(64) float gates_h[4 * kMaxRows];
alignas(64) float peephole[3 * kMaxRows];
alignas(64) float scalar_cell[kMaxRows];
alignas(64) float helium_cell[kMaxRows];
// Arenas and model, 64-byte aligned as Session::init and Model::load require.
alignas(64) unsigned char scalar_arena[DEMO_MODEL_ARENA_BYTES];
alignas(64) unsigned char helium_arena[DEMO_MODEL_ARENA_BYTES];

std::uint32_t random_state = 12345;
float random_unit() {  // in [-1, 1)
  random_state = random_state * 1664525u + 1013904223u;
  return static_cast<float>(random_state >> 8) / 8388608.0f - 1.0f;
}

int report(const char* what, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  char line[160];
  char* at = put(put(line, "kernel check: "), what);
  at = put_uint(put(at, " "), a);
  at = put_uint(put(at, " "), b);
  at = put_uint(put(at, " "), c);
  *put(at, "\n") = '\0';
  semihost_write(line);
  return 1;
}

// The f32 gemv of both tables on one shape; the bound is the host test's
// (tests/test_kernels.cpp): fused and unfused sums of |w x| <= cols differ
// by a few float roundings per column.
int check_gemv(const KernelTable& scalar, const KernelTable& helium, std::uint32_t panels, std::uint32_t cols,
               bool with_bias) {
  const std::uint32_t rows = panels * 16;
  for (std::uint32_t i = 0; i < rows * cols; ++i) weights[i] = random_unit();
  for (std::uint32_t k = 0; k < cols; ++k) input[k] = random_unit();
  for (std::uint32_t i = 0; i < rows; ++i) bias[i] = random_unit();
  const float* b = with_bias ? bias : nullptr;
  scalar.matrix[kF32].gemv(weights, nullptr, panels, rows, cols, input, b, scalar_out, nullptr);
  helium.matrix[kF32].gemv(weights, nullptr, panels, rows, cols, input, b, helium_out, nullptr);
  const float bound = 2e-6f * std::sqrt(static_cast<float>(cols));
  int failures = 0;
  for (std::uint32_t i = 0; i < rows; ++i) {
    if (!(std::fabs(helium_out[i] - scalar_out[i]) <= bound)) {
      failures += report("gemv differs: panels cols row", panels, cols, i);
    }
  }
  return failures;
}

// The int8 gemv of both tables on one shape (Panel16x4, zero padding columns):
// integer sums and the same float rescale, so equal bit for bit.
int check_int8_gemv(const KernelTable& scalar, const KernelTable& helium, std::uint32_t panels, std::uint32_t cols,
                    bool with_bias) {
  constexpr int kI8 = static_cast<int>(grurt::ElementType::kI8);
  const std::uint32_t rows = panels * 16, c4 = (cols + 3) / 4 * 4;
  for (std::uint32_t row = 0; row < rows; ++row) {
    for (std::uint32_t k = 0; k < c4; ++k) {
      const auto q = static_cast<std::int8_t>(k < cols ? static_cast<int>(127.0f * random_unit()) : 0);
      int8_weights[(row / 16 * c4 + k / 4 * 4) * 16 + row % 16 * 4 + k % 4] = q;
    }
    row_scales[row] = 0.01f * (1.5f + random_unit());
    bias[row] = random_unit();
  }
  for (std::uint32_t k = 0; k < cols; ++k) input[k] = 2.0f * random_unit();
  const float* b = with_bias ? bias : nullptr;
  scalar.matrix[kI8].gemv(int8_weights, row_scales, panels, rows, cols, input, b, scalar_out, int8_work);
  helium.matrix[kI8].gemv(int8_weights, row_scales, panels, rows, cols, input, b, helium_out, int8_work);
  int failures = 0;
  for (std::uint32_t i = 0; i < rows; ++i) {
    if (helium_out[i] != scalar_out[i]) failures += report("int8 gemv differs: panels cols row", panels, cols, i);
  }
  return failures;
}

// scalar_out against helium_out after GRU kernel `kernel` (0: update with the
// reset after, 1: r * h, 2: update with the reset before), 1e-6 apart or both
// NaN; the NaN put in lane 2 of the candidate's input must come out (kernels 0, 2).
int compare_gru(std::uint32_t count, std::uint32_t kernel) {
  int failures = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const bool both_nan = std::isnan(scalar_out[i]) && std::isnan(helium_out[i]);
    if (!both_nan && !(std::fabs(helium_out[i] - scalar_out[i]) <= 1e-6f)) {
      failures += report("gru kernel differs: kernel count element", kernel, count, i);
    }
  }
  if (kernel != 1 && count > 2 && !std::isnan(helium_out[2])) {
    failures += report("gru kernel lost a NaN: kernel count", kernel, count, 0);
  }
  return failures;
}

// The default GRU kernels of both tables (reset after; r * h and the update
// with the reset before), with pre-activations
// up to +-6 (into the saturation of sigmoid and tanh), a NaN in one lane, and
// sizes that leave part of a vector: the host tests' 1e-6.
int check_gru_kernels(const KernelTable& scalar, const KernelTable& helium, std::uint32_t count) {
  const std::uint32_t hp = (count + 15) / 16 * 16;
  for (std::uint32_t i = 0; i < 3 * hp; ++i) {
    gates_x[i] = 6.0f * random_unit();
    gates_h[i] = 6.0f * random_unit();
  }
  for (std::uint32_t i = 0; i < hp; ++i) scalar_out[i] = helium_out[i] = random_unit();
  if (count > 2) gates_x[2 * hp + 2] = std::numeric_limits<float>::quiet_NaN();
  const grurt::kernels::GruActivations standard;
  for (std::uint32_t i = 0; i < hp; ++i) scalar_cell[i] = helium_cell[i] = scalar_out[i];  // h for reset-before
  scalar.gru_update_reset_after(gates_x, gates_h, hp, count, standard, scalar_out);
  helium.gru_update_reset_after(gates_x, gates_h, hp, count, standard, helium_out);
  int failures = compare_gru(count, 0);
  // Reset before: r * h, then the update from it (R_n h would come between).
  scalar.gru_reset_hidden(gates_x, gates_h, scalar_cell, count, standard, scalar_out);
  helium.gru_reset_hidden(gates_x, gates_h, scalar_cell, count, standard, helium_out);
  failures += compare_gru(count, 1);
  scalar.gru_update_reset_before(gates_x, gates_h, hp, count, standard, scalar_cell);
  helium.gru_update_reset_before(gates_x, gates_h, hp, count, standard, helium_cell);
  for (std::uint32_t i = 0; i < count; ++i) {
    scalar_out[i] = scalar_cell[i];
    helium_out[i] = helium_cell[i];
  }
  failures += compare_gru(count, 2);
  return failures;
}

// The default LSTM update of both tables, with and without peepholes, as the
// host tests (tests/test_lstm.cpp): pre-activations up to +-6, cells up to +-3, 1e-6.
int check_lstm_update(const KernelTable& scalar, const KernelTable& helium, std::uint32_t count, bool with_peephole) {
  const std::uint32_t hp = (count + 15) / 16 * 16;
  for (std::uint32_t i = 0; i < 4 * hp; ++i) {
    gates_x[i] = 6.0f * random_unit();
    gates_h[i] = 6.0f * random_unit();
  }
  for (std::uint32_t i = 0; i < 3 * hp; ++i) peephole[i] = random_unit();
  for (std::uint32_t i = 0; i < hp; ++i) scalar_cell[i] = helium_cell[i] = 3.0f * random_unit();
  const grurt::kernels::GateActivations standard;
  const float* p = with_peephole ? peephole : nullptr;
  scalar.lstm_update(gates_x, gates_h, p, hp, count, standard, scalar_cell, scalar_out);
  helium.lstm_update(gates_x, gates_h, p, hp, count, standard, helium_cell, helium_out);
  int failures = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const bool cell_near = std::fabs(helium_cell[i] - scalar_cell[i]) <= 1e-6f;
    if (!cell_near || !(std::fabs(helium_out[i] - scalar_out[i]) <= 1e-6f)) {
      failures += report("lstm update differs: count peephole element", count, with_peephole ? 1 : 0, i);
    }
  }
  return failures;
}

int check_model() {
  grurt::Model model;
  grurt::Session scalar, helium;
  if (model.load(demo_model, demo_model_size) != grurt::Status::kOk) return report("model load failed", 0, 0, 0);
  if (scalar.init(model, scalar_arena, sizeof scalar_arena, Isa::kScalar) != grurt::Status::kOk ||
      helium.init(model, helium_arena, sizeof helium_arena, Isa::kHelium) != grurt::Status::kOk) {
    return report("session init failed", 0, 0, 0);
  }
  int failures = 0;
  for (std::uint32_t t = 0; t < DEMO_REFERENCE_STEPS; ++t) {
    float a[DEMO_MODEL_OUTPUT_SIZE], b[DEMO_MODEL_OUTPUT_SIZE];
    const float* x = &demo_reference_inputs[t * DEMO_MODEL_INPUT_SIZE];
    scalar.step(x, a);
    helium.step(x, b);
    for (std::uint32_t o = 0; o < DEMO_MODEL_OUTPUT_SIZE; ++o) {
      if (!(std::fabs(a[o] - b[o]) <= 1e-5f)) failures += report("model output differs: step output", t, o, 0);
    }
  }
  return failures;
}

}  // namespace

int main() {
  const KernelTable* helium = grurt::kernels::kernels_for(Isa::kHelium);
  if (helium == nullptr || !grurt::isa_available(Isa::kHelium)) {
    return report("no helium table in this build", 0, 0, 0);
  }
  const KernelTable& scalar = grurt::kernels::scalar_kernels();
  int failures = 0;
  std::uint32_t shapes = 0;
  for (std::uint32_t panels : {1u, 2u, 3u, 5u}) {
    for (std::uint32_t cols : {1u, 2u, 3u, 5u, 8u, 15u, 16u, 17u, 33u, 64u}) {
      for (bool with_bias : {true, false}) {
        failures += check_gemv(scalar, *helium, panels, cols, with_bias);
        failures += check_int8_gemv(scalar, *helium, panels, cols, with_bias);
        shapes += 2;
      }
    }
  }
  for (std::uint32_t count : {1u, 3u, 4u, 5u, 7u, 13u, 16u, 17u, 31u, 33u, 64u}) {
    failures += check_gru_kernels(scalar, *helium, count);
    ++shapes;
  }
  for (std::uint32_t count : {1u, 3u, 4u, 5u, 13u, 16u, 17u, 33u, 64u}) {
    for (bool with_peephole : {false, true}) {
      failures += check_lstm_update(scalar, *helium, count, with_peephole);
      ++shapes;
    }
  }
  failures += check_model();
  if (failures == 0) {
    char line[160];
    char* at = put_uint(put(line, "kernel check: helium equals scalar on "), shapes);
    *put(at, " f32 and int8 gemv, GRU and LSTM kernel shapes and the demo model's 40 steps\n") = '\0';
    semihost_write(line);
  }
  return failures == 0 ? 0 : 1;
}
