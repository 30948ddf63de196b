// The .grurt files grurt-convert 0.1.0 wrote (fixtures/compat/0.1.0, never
// rewritten: write_fixtures.sh says how they were made) load in this runtime
// and give PyTorch's outputs (make_expected.py), on the scalar path and every
// SIMD instruction set this machine has. A format change that misreads an old
// file fails here.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "grurt/grurt.hpp"
#include "host_file.hpp"
#include "model_file.hpp"
#include "support/compare.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

const std::string kDir = std::string(GRURT_COMPAT_FIXTURES) + "/0.1.0/";

// One value per line (the demo models have one input and one output).
std::vector<double> read_column(const std::string& name) {
  const tools::AlignedBytes bytes = tools::read_file(kDir + name, {1u << 20, "a fixture", "small"});
  std::vector<double> values;
  std::string line;
  for (std::size_t i = 0; i <= bytes.size(); ++i) {
    const char c = i < bytes.size() ? static_cast<char>(bytes.data()[i]) : '\n';
    if (c != '\n') {
      line += c;
    } else if (!line.empty()) {
      values.push_back(std::stod(line));
      line.clear();
    }
  }
  return values;
}

// Streams the demo input through `file` from its start state on every ISA and
// compares with `expected` (PyTorch).
void check_outputs(const std::string& file, const std::vector<double>& expected, double tolerance) {
  tools::LoadedModel loaded;
  tools::load_model_file(kDir + file, loaded);
  REQUIRE(loaded.model.input_size() == 1);
  REQUIRE(loaded.model.output_size() == 1);
  CHECK(std::string(loaded.model.producer()) == "grurt-convert 0.1.0");
  const std::vector<double> input = read_column("input.csv");
  REQUIRE(input.size() == expected.size());
  for (Isa isa : isas_to_test()) {
    tools::AlignedBytes arena(loaded.model.arena_bytes());
    Session session;
    REQUIRE(session.init(loaded.model, arena.data(), arena.size(), isa) == Status::kOk);
    std::vector<float> outputs(input.size());
    for (std::size_t t = 0; t < input.size(); ++t) {
      const float x = static_cast<float>(input[t]);
      REQUIRE(session.step(&x, &outputs[t]) == Status::kOk);
    }
    require_close(outputs, expected, tolerance, file + " on " + isa_name(isa));
  }
}

}  // namespace

TEST_CASE("A 0.1.0 file with an f32 GRU gives PyTorch's outputs", "[compat]") {
  check_outputs("gru_f32.grurt", read_column("gru.expected.csv"), 1e-5);
}

TEST_CASE("A 0.1.0 file with an f32 LSTM gives PyTorch's outputs", "[compat]") {
  check_outputs("lstm_f32.grurt", read_column("lstm.expected.csv"), 1e-5);
}

// The reference rounds the weight matrices to half as the file stores them,
// so the f32 tolerance holds (measured 2.8e-7 on 2026-12-02).
TEST_CASE("A 0.1.0 file with f16 weights gives PyTorch's outputs for the halved weights", "[compat]") {
  check_outputs("gru_f16.grurt", read_column("gru_f16.expected.csv"), 1e-5);
}

// int8 weights and per-step int8 activations: within the error of PyTorch's
// own int8 model of the same network (0.0259; grurt measured 0.0132 on 2026-12-02).
TEST_CASE("A 0.1.0 file with int8 weights stays as close to PyTorch as PyTorch's int8 model", "[compat]") {
  const std::vector<double> bound = read_column("gru_int8.torch_dynamic_error.txt");
  REQUIRE(bound.size() == 1);
  check_outputs("gru_int8.grurt", read_column("gru.expected.csv"), bound[0]);
}
