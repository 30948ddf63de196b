// The fused steps of small GRU and LSTM layers (kernel_table.hpp CellStep):
// step() runs them, run() and BatchSession do not, so all three must still
// agree bit for bit; and they must match the double reference. Sizes span
// every vector count a fused step has (1 to kSmallCellVectors vectors per
// gate on each ISA) and the first sizes past it, which take the general path.
#include <catch2/catch.hpp>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "grurt/batch_session.hpp"
#include "grurt/error_text.hpp"
#include "kernels/kernel_table.hpp"
#include "layers/layer_kind.hpp"
#include "network.hpp"
#include "support/compare.hpp"
#include "support/random_models.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

enum class Cell { kGruAfter, kGruBefore, kLstm, kLstmPeephole };

const char* cell_name(Cell cell) {
  switch (cell) {
    case Cell::kGruAfter: return "GRU reset after";
    case Cell::kGruBefore: return "GRU reset before";
    case Cell::kLstm: return "LSTM";
    case Cell::kLstmPeephole: return "LSTM peephole";
  }
  return "";
}

CanonicalModel cell_model(Cell cell, std::uint32_t inputs, std::uint32_t hidden, ElementType type, bool head) {
  std::mt19937 rng(hidden * 7u + static_cast<unsigned>(cell));
  std::vector<convert::LayerSpec> layers;
  if (cell == Cell::kGruAfter || cell == Cell::kGruBefore) {
    layers.push_back({"", random_gru(rng, inputs, hidden, cell == Cell::kGruAfter)});
  } else {
    LstmOptions options;
    options.peephole = cell == Cell::kLstmPeephole;
    layers.push_back({"", random_lstm(rng, inputs, hidden, options)});
  }
  if (head) layers.push_back({"", random_dense(rng, hidden, 2, Activation::kIdentity)});
  CanonicalModel model = stacked_model(inputs, layers);
  model.weight_type = type;
  return model;
}

bool same_bits(const float* a, const float* b, std::size_t count) {
  return std::memcmp(a, b, count * sizeof(float)) == 0;
}

// Three streams of a BatchSession, each against its own Session (step()), bit for bit.
void require_batch_equals_sessions(const CanonicalModel& spec, Isa isa, const std::string& context) {
  constexpr std::uint32_t kStreams = 3;
  auto reference = load_model(spec, isa);
  const Model& model = reference->model;
  const std::uint32_t in = model.input_size(), out = model.output_size();
  AlignedBytes arena(BatchSession::arena_bytes(model, kStreams));
  BatchSession batch;
  REQUIRE(batch.init(model, kStreams, arena.data(), arena.size(), isa) == Status::kOk);
  std::vector<std::unique_ptr<Loaded>> alone;
  for (std::uint32_t s = 0; s < kStreams; ++s) alone.push_back(load_model(spec, isa));
  std::mt19937 rng(in * 13u + out);
  for (int t = 0; t < 5; ++t) {
    const std::vector<float> inputs = random_values(rng, std::size_t{kStreams} * in, 1.5f);
    std::vector<float> outputs(std::size_t{kStreams} * out), expected(out);
    REQUIRE(batch.step(inputs.data(), outputs.data()) == Status::kOk);
    for (std::uint32_t s = 0; s < kStreams; ++s) {
      REQUIRE(alone[s]->session.step(&inputs[s * in], expected.data()) == Status::kOk);
      INFO(context << ", step " << t << ", stream " << s);
      REQUIRE(same_bits(&outputs[s * out], expected.data(), out));
    }
  }
}

}  // namespace

TEST_CASE("Small GRU and LSTM layers: step() equals run() and BatchSession bit for bit and the double reference",
          "[kernels][small]") {
  const std::uint32_t sizes[] = {1, 8, 9, 16, 17, 31, 32, 33, 48, 64, 65};
  for (Isa isa : isas_to_test()) {
    for (Cell cell : {Cell::kGruAfter, Cell::kGruBefore, Cell::kLstm, Cell::kLstmPeephole}) {
      for (std::uint32_t hidden : sizes) {
        for (ElementType type : {ElementType::kF32, ElementType::kF16}) {
          std::ostringstream context;
          context << isa_name(isa) << ", " << cell_name(cell) << ", H=" << hidden << ", "
                  << element_type_name(type);
          const std::uint32_t inputs = hidden % 2 == 0 ? 1 : 3;
          const CanonicalModel model = cell_model(cell, inputs, hidden, type, hidden % 3 == 0);
          std::mt19937 rng(hidden);
          const auto values = random_values(rng, 12u * inputs, 1.5f);
          require_run_equals_steps(model, isa, values, 12, context.str());
          require_batch_equals_sessions(model, isa, context.str());
          if (type != ElementType::kF32) continue;  // the reference holds the f32 weights
          auto loaded = load_model(model, isa);
          require_close(run_steps(loaded->session, values, inputs, model.output_size()),
                        reference_outputs(model, values), 1e-5, context.str() + " vs double reference");
        }
      }
    }
  }
}

TEST_CASE("The fused step is chosen for small GRU and LSTM layers with the standard activations only",
          "[kernels][small]") {
  auto fused_for = [](const CanonicalModel& spec, Isa isa) {
    auto loaded = load_model(spec, isa);
    const LayerView view = loaded->model.layer(0);
    const auto choose = detail::kind_ops(view.kind).fused_step;  // null in microcontroller builds
    return choose != nullptr && choose(view, *kernels::kernels_for(isa)) != nullptr;
  };
  REQUIRE_FALSE(fused_for(cell_model(Cell::kGruAfter, 1, 8, ElementType::kF32, false), Isa::kScalar));
  for (Isa isa : simd_isas_to_test()) {
    INFO(isa_name(isa));
    const std::uint32_t largest = kernels::kernels_for(isa)->small.lanes * kernels::kSmallCellVectors;
    REQUIRE(largest >= 16);
    for (Cell cell : {Cell::kGruAfter, Cell::kGruBefore, Cell::kLstm, Cell::kLstmPeephole}) {
      INFO(cell_name(cell));
      for (ElementType type : {ElementType::kF32, ElementType::kF16}) {
        REQUIRE(fused_for(cell_model(cell, 2, 1, type, false), isa));
        REQUIRE(fused_for(cell_model(cell, 2, largest, type, false), isa));
        REQUIRE_FALSE(fused_for(cell_model(cell, 2, largest + 1, type, false), isa));
      }
      REQUIRE_FALSE(fused_for(cell_model(cell, 2, 8, ElementType::kI8, false), isa));
    }
    std::mt19937 rng(3);
    GruSpec hard = random_gru(rng, 2, 8, true);
    hard.gate_activation = GateActivation::kHardSigmoid;
    REQUIRE_FALSE(fused_for(single_layer_model(hard), isa));
    GruSpec relu = random_gru(rng, 2, 8, true);
    relu.candidate_activation = Activation::kRelu;
    REQUIRE_FALSE(fused_for(single_layer_model(relu), isa));
    LstmOptions projected;
    projected.projection = 4;
    REQUIRE_FALSE(fused_for(stacked_model(2, {{"", random_lstm(rng, 2, 8, projected)}}), isa));
  }
}

TEST_CASE("Fused steps only in models whose weight matrices are at most kSmallCellBytes", "[kernels][small]") {
  // The layers of a session that took a fused step.
  auto fused_layers = [](const CanonicalModel& spec, Isa isa) {
    auto loaded = load_model(spec, isa);
    AlignedBytes arena(loaded->model.arena_bytes());
    ErrorText error;
    detail::Network* net = nullptr;
    REQUIRE(detail::prepare_network(loaded->model, arena.data(), arena.size(), isa, 0, error, &net) == Status::kOk);
    std::uint32_t fused = 0;
    for (std::uint32_t i = 0; i < net->num_layers; ++i) fused += net->plans[i].fused != nullptr ? 1 : 0;
    return fused;
  };
  REQUIRE(kernels::kSmallCellBytes == 80 * 1024);
  for (Isa isa : simd_isas_to_test()) {
    INFO(isa_name(isa));
    std::mt19937 rng(9);
    // A GRU (I -> 16) stores (I + 16) columns of 48 rows of 4 bytes.
    REQUIRE(fused_layers(single_layer_model(random_gru(rng, 400, 16, true)), isa) == 1);  // 79872 bytes
    REQUIRE(fused_layers(single_layer_model(random_gru(rng, 412, 16, true)), isa) == 0);  // 82176
    REQUIRE(fused_layers(stacked_model(300, {{"", random_gru(rng, 300, 16, true)},     // 60672
                                              {"", random_gru(rng, 16, 16, false)},    // + 6144
                                              {"", random_dense(rng, 16, 2, Activation::kIdentity)}}),  // + 1024
                         isa) == 2);
    REQUIRE(fused_layers(stacked_model(380, {{"", random_gru(rng, 380, 16, true)},     // 76032
                                              {"", random_gru(rng, 16, 16, false)}}),  // + 6144
                         isa) == 0);
  }
}
