// Canonical models with seeded random weights, and helpers to run them.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "grurt_convert/canonical_model.hpp"
#include "grurt_convert/model_writer.hpp"
#include "model_buffer.hpp"

namespace grurt::test {

using convert::ActivationSpec;
using convert::CanonicalModel;
using convert::DenseSpec;
using convert::GruSpec;
using convert::LstmSpec;
using convert::RnnSpec;

std::vector<float> random_values(std::mt19937& rng, std::size_t count, float scale);

// Weights uniform in +-1/sqrt(H), as PyTorch initialises them.
GruSpec random_gru(std::mt19937& rng, std::uint32_t inputs, std::uint32_t hidden, bool reset_after,
                   bool bias = true);
RnnSpec random_rnn(std::mt19937& rng, std::uint32_t inputs, std::uint32_t hidden, Activation activation,
                   bool bias = true);
struct LstmOptions {
  bool bias = true;
  bool peephole = false;
  std::uint32_t projection = 0;  // P, 0: none
};
LstmSpec random_lstm(std::mt19937& rng, std::uint32_t inputs, std::uint32_t hidden, const LstmOptions& options);
DenseSpec random_dense(std::mt19937& rng, std::uint32_t inputs, std::uint32_t outputs,
                       Activation activation, bool bias = true);

CanonicalModel single_layer_model(const GruSpec& gru);
// Two GRU layers (3 -> 7, reset after; 7 -> 5, reset before) and a Linear(5 -> 2)
// head: 3 inputs, 2 outputs, 12 floats of state. Weights from `seed`.
CanonicalModel two_gru_layers_and_head(unsigned seed);
// Every kind with a weight matrix: GRU (3 -> 17, reset after; 17 -> 9, reset
// before), LSTM (9 -> 20, peephole, projection to 5), RNN (5 -> 33, tanh),
// Linear (33 -> 2): 3 inputs, 2 outputs. For the reduced weight types' tests.
CanonicalModel every_matrix_kind(unsigned seed);
CanonicalModel stacked_model(std::uint32_t input_size, std::vector<convert::LayerSpec> layers);

// Writes the model, loads it and initialises a session; REQUIREs success.
std::unique_ptr<Loaded> load_model(const CanonicalModel& model, Isa isa = Isa::kAuto);

// Every ISA of the runtime's list other than scalar; the ones this build or CPU lacks are reported
// with a WARN so that a skipped ISA is visible in the test output.
std::vector<Isa> simd_isas_to_test();
// Scalar first, then simd_isas_to_test().
std::vector<Isa> isas_to_test();

// Two sessions of `model` on `isa`: one step()s through the first `steps`
// inputs of `inputs`, the other takes them in one run() call; REQUIREs the
// same outputs and the same state afterwards, bit for bit.
void require_run_equals_steps(const CanonicalModel& model, Isa isa, const std::vector<float>& inputs,
                              std::size_t steps, const std::string& context);

// Steps `session` over `inputs` (steps x input_size) and returns all outputs.
std::vector<float> run_steps(Session& session, const std::vector<float>& inputs, std::uint32_t input_size,
                             std::uint32_t output_size);

}  // namespace grurt::test
