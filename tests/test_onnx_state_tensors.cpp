// ONNX state tensors as graph inputs and outputs (the models ONNX Runtime
// streams): where the reader says each layer's h and c lie in them, checked
// by running the converted model over a fixture and reading the session state
// back in the graph's element order, against the state outputs PyTorch or the
// generator's float64 ONNX formulas give after the last step
// (fixtures/onnx/make_onnx_fixtures.py, NAME.final_state.csv).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>

#include "grurt_convert/model_writer.hpp"
#include "grurt_convert/source_file.hpp"
#include "support/convert_fixture_files.hpp"
#include "support/random_models.hpp"

namespace grurt::test {
namespace {

using convert::SourceModel;
using convert::StatePart;
using convert::StateTensor;

convert::SourceFile read_onnx_fixture(const std::string& file) {
  std::ifstream in(std::string(GRURT_ONNX_FIXTURES) + "/" + file, std::ios::binary);
  REQUIRE(in.good());
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return convert::read_source_file(bytes.data(), bytes.size());
}

// First element of a layer's h or c in the session state (written here from
// the documented order: recurrent layers in turn, each h then c).
std::size_t session_offset(const SourceModel& model, const StatePart& part) {
  std::size_t offset = 0;
  for (std::size_t i = 0; i < part.layer; ++i) offset += convert::state_width(model.layers[i]);
  return offset + (part.vector == 1 ? convert::state_parts(model.layers[part.layer])[0] : 0);
}

// The session state laid out as the state tensor, by the reader's runs.
std::vector<double> as_tensor(const SourceModel& model, const StateTensor& tensor, const std::vector<float>& state) {
  std::int64_t size = 1;
  for (const std::int64_t d : tensor.dims) size *= d;
  std::vector<double> values(static_cast<std::size_t>(size), std::nan(""));
  for (const auto& run : tensor.runs) {
    REQUIRE(run.regular);
    const std::size_t units = convert::state_parts(model.layers[run.part.layer])[static_cast<std::size_t>(run.part.vector)];
    for (std::size_t u = 0; u < units; ++u) {
      values.at(static_cast<std::size_t>(run.first + static_cast<std::int64_t>(u) * run.stride)) =
          state[session_offset(model, run.part) + u];
    }
  }
  return values;
}

// Streams the fixture's inputs through the converted model and compares the
// session state, seen through each state output, with the expected final state.
void check_final_state(const std::string& name, std::size_t state_outputs) {
  const convert::SourceFile file = read_onnx_fixture(name + ".onnx");
  const SourceModel& source = *file.declared;
  std::size_t paired = 0;
  for (const StateTensor& t : source.state_tensors) paired += !t.input.empty() && !t.output.empty();
  REQUIRE(paired == state_outputs);
  auto loaded = load_model(convert::canonicalize(source, file.tensors));
  Session& session = loaded->session;
  const std::string dir = std::string(GRURT_ONNX_FIXTURES) + "/" + name;
  std::vector<float> inputs;
  for (const auto& row : read_csv_rows(dir + ".input.csv")) inputs.insert(inputs.end(), row.begin(), row.end());
  run_steps(session, inputs, source.input_size, convert::output_width(source.layers.back()));
  std::vector<float> state(session.state_size());
  REQUIRE(session.read_state(state.data(), state.size()) == Status::kOk);

  const auto expected = read_csv_rows(dir + ".final_state.csv");
  REQUIRE(expected.size() == state_outputs);
  for (std::size_t k = 0; k < state_outputs; ++k) {  // the fixtures list outputs in the order of their inputs
    INFO(name << ": state output '" << source.state_tensors[k].output << "'");
    const std::vector<double> got = as_tensor(source, source.state_tensors[k], state);
    REQUIRE(got.size() == expected[k].size());
    for (std::size_t e = 0; e < got.size(); ++e) {
      INFO("element " << e);
      CHECK(std::abs(got[e] - expected[k][e]) <= 1e-5);
    }
  }
}

}  // namespace

TEST_CASE("PyTorch's hn (and cn) after streaming lie where the ONNX reader maps them in the session state",
          "[onnx][state_tensors]") {
  check_final_state("torch_gru_l2_state_io_i3_h6_fc2", 1);
  check_final_state("torch_lstm_l2_batch_first_state_io_i2_h5_fc3", 2);
}

TEST_CASE("A state tensor gathered per layer and one interleaving h and c map to the session state element "
          "for element",
          "[onnx][state_tensors]") {
  check_final_state("hand_gru_l2_gathered_state_i2_h5", 1);
  check_final_state("hand_lstm_l2_combined_state_i3_h4", 1);
  // [1, layer, unit, {h, c}]: h at even elements, c at odd ones, layer 1 after layer 0.
  const convert::SourceFile file = read_onnx_fixture("hand_lstm_l2_combined_state_i3_h4.onnx");
  const auto& runs = file.declared->state_tensors.at(0).runs;
  REQUIRE(runs.size() == 4);
  const std::int64_t firsts[] = {0, 1, 8, 9};
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(runs[k].part.layer == k / 2);
    CHECK(runs[k].part.vector == static_cast<int>(k % 2));
    CHECK(runs[k].first == firsts[k]);
    CHECK(runs[k].stride == 2);
  }
}

}  // namespace grurt::test
