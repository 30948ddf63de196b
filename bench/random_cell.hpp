// One-layer GRU or LSTM models with random weights, for the benchmarks: the
// weights as the canonical spec holds them (so the comparison libraries can be
// given the same numbers) and the .grurt bytes the runtime loads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "aligned_bytes.hpp"
#include "grurt/grurt.hpp"

namespace grurt::bench {

enum class CellKind { kGru, kLstm };

const char* cell_kind_name(CellKind kind);  // "gru", "lstm"

// Gates per cell: 3 for the GRU (r, z, n), 4 for the LSTM (i, f, g, o).
std::uint32_t gate_count(CellKind kind);

// The sizes the README's tables are measured at.
struct CellSize {
  std::uint32_t input_size;   // I
  std::uint32_t hidden_size;  // H
};
const std::vector<CellSize>& standard_sizes(CellKind kind);

// Row-major weights in the canonical gate order, as PyTorch's GRUCell and
// LSTMCell hold them: w [G*H][I], r [G*H][H], bias_w and bias_r [G*H].
struct CellWeights {
  CellKind kind = CellKind::kGru;
  std::uint32_t input_size = 0;
  std::uint32_t hidden_size = 0;
  std::vector<float> w, r, bias_w, bias_r;
};

// Uniform in +-1/sqrt(H) (PyTorch's initialisation), seeded by the sizes so
// every run and every library sees the same numbers.
CellWeights random_cell_weights(CellKind kind, std::uint32_t input_size, std::uint32_t hidden_size);

// A loaded one-layer model of `weights` (the bytes it reads stay alive with it).
struct CellModel {
  grurt::tools::AlignedBytes bytes;
  grurt::Model model;
};
// Throws std::runtime_error with the loader's message if the model does not
// load. `type`: how the weight matrices are stored (f32, or f16 rounded).
void load_cell_model(const CellWeights& weights, grurt::ElementType type, CellModel& loaded);

// The two-layer amp model GRU(1 -> 64) -> GRU(64 -> 64) -> Dense(64 -> 1)
// (no activation), the shape of the guitar amp models shared as AIDA-X files.
struct AmpWeights {
  CellWeights first, second;
  std::vector<float> dense_w;  // [64]
  float dense_b = 0.0f;
};
AmpWeights random_amp_weights();
void load_amp_model(const AmpWeights& weights, CellModel& loaded);

}  // namespace grurt::bench
