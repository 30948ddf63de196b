// The runtime against PyTorch: fixtures written by fixtures/torch/make_torch_fixtures.py.
#include <catch2/catch.hpp>

#include "support/compare.hpp"
#include "support/random_models.hpp"
#include "support/torch_text_model.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

// PyTorch's float64 outputs vs our float32 arithmetic.
constexpr double kTolerance = 1e-5;

void check_fixture(const std::string& name) {
  const auto fixture =
      read_torch_text_model(std::string(GRURT_TORCH_FIXTURES) + "/" + name + ".txt");
  std::vector<Isa> isas = simd_isas_to_test();
  isas.insert(isas.begin(), Isa::kScalar);
  for (Isa isa : isas) {
    auto loaded = load_model(fixture.model, isa);
    const auto actual =
        run_steps(loaded->session, fixture.inputs, fixture.model.input_size, fixture.model.output_size());
    require_close(actual, fixture.outputs, kTolerance, name + " on " + isa_name(isa));
  }
}

}  // namespace

TEST_CASE("PyTorch nn.GRU, I = 1, H = 5, no head", "[torch]") { check_fixture("gru_i1_h5"); }
TEST_CASE("PyTorch nn.GRU, 2 layers + Linear", "[torch]") { check_fixture("gru2_i4_h7_linear3"); }
TEST_CASE("PyTorch nn.GRU without biases", "[torch]") { check_fixture("gru_i3_h9_nobias"); }
TEST_CASE("PyTorch nn.GRU, 3 layers, batch_first + Linear + sigmoid", "[torch]") {
  check_fixture("gru3_i2_h8_sigmoid");
}
TEST_CASE("PyTorch nn.GRU, H = 33 + Linear + relu", "[torch]") { check_fixture("gru_i5_h33_relu"); }
TEST_CASE("PyTorch nn.GRUCell + Linear + softmax", "[torch]") { check_fixture("grucell_i6_h16_softmax4"); }
TEST_CASE("PyTorch float64 reset-before GRU + Linear + tanh", "[torch]") {
  check_fixture("reset_before_i5_h11_tanh");
}
