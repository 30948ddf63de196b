// The runtime against PyTorch: fixtures written by fixtures/torch/make_torch_fixtures.py.
#include <catch2/catch.hpp>

#include <sstream>
#include <variant>

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
  std::vector<Isa> isas = isas_to_test();
  for (Isa isa : isas) {
    auto loaded = load_model(fixture.model, isa);
    const auto actual =
        run_steps(loaded->session, fixture.inputs, fixture.model.input_size, fixture.model.output_size());
    require_close(actual, fixture.outputs, kTolerance, name + " on " + isa_name(isa));
  }
}

// One word per layer, with the sizes it reads and writes, e.g. "rnn relu 3>17 nobias".
std::string describe(const convert::CanonicalModel& model) {
  std::ostringstream out;
  for (const convert::LayerSpec& spec : model.layers) {
    if (!out.str().empty()) out << ", ";
    if (const auto* gru = std::get_if<convert::GruSpec>(&spec.layer)) {
      out << "gru " << gru->input_size << ">" << gru->hidden_size << (gru->bias_w.empty() ? " nobias" : " bias");
    } else if (const auto* rnn = std::get_if<convert::RnnSpec>(&spec.layer)) {
      out << "rnn " << activation_name(rnn->activation) << " " << rnn->input_size << ">" << rnn->hidden_size
          << (rnn->bias_w.empty() ? " nobias" : " bias");
    } else if (const auto* lstm = std::get_if<convert::LstmSpec>(&spec.layer)) {
      out << "lstm " << lstm->input_size << ">" << lstm->hidden_size;
      if (lstm->projection_size != 0) out << ">" << lstm->projection_size;
      out << (lstm->bias_w.empty() ? " nobias" : " bias");
    } else if (const auto* dense = std::get_if<convert::DenseSpec>(&spec.layer)) {
      out << "dense " << activation_name(dense->activation) << " " << dense->input_size << ">"
          << dense->output_size << (dense->bias.empty() ? " nobias" : " bias");
    } else {
      out << "other";
    }
  }
  return out.str();
}

}  // namespace

// The plain-RNN fixtures' tests below fail until the runtime loads RnnLayer;
// this one shows meanwhile that the reader takes their files as written.
TEST_CASE("The PyTorch fixtures for nn.RNN read into the layers the script wrote", "[torch]") {
  const std::vector<std::pair<std::string, std::string>> fixtures = {
      {"rnn_i1_h5", "rnn tanh 1>5 bias"},
      {"rnn2_relu_i3_h17_nobias_linear2", "rnn relu 3>17 nobias, rnn relu 17>17 nobias, dense identity 17>2 bias"},
      {"rnn3_i4_h33_sigmoid", "rnn tanh 4>33 bias, rnn tanh 33>33 bias, rnn tanh 33>33 bias, dense sigmoid 33>3 bias"},
      {"rnncell_i6_h16_softmax4", "rnn tanh 6>16 bias, dense softmax 16>4 bias"},
      {"gru_h10_rnn_relu_h13_i3_linear2", "gru 3>10 bias, rnn relu 10>13 bias, dense identity 13>2 bias"},
  };
  for (const auto& [name, layers] : fixtures) {
    INFO(name);
    const auto fixture = read_torch_text_model(std::string(GRURT_TORCH_FIXTURES) + "/" + name + ".txt");
    CHECK(describe(fixture.model) == layers);
    CHECK(fixture.steps == 16);
    CHECK(fixture.inputs.size() == std::size_t{fixture.steps} * fixture.model.input_size);
    CHECK(fixture.outputs.size() == std::size_t{fixture.steps} * fixture.model.output_size());
  }
}

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
TEST_CASE("PyTorch nn.RNN tanh, I = 1, H = 5, no head", "[torch][rnn]") { check_fixture("rnn_i1_h5"); }
TEST_CASE("PyTorch nn.RNN relu, 2 layers without biases + Linear", "[torch][rnn]") {
  check_fixture("rnn2_relu_i3_h17_nobias_linear2");
}
TEST_CASE("PyTorch nn.RNN tanh, 3 layers, H = 33 + Linear + sigmoid", "[torch][rnn]") {
  check_fixture("rnn3_i4_h33_sigmoid");
}
TEST_CASE("PyTorch nn.RNNCell + Linear + softmax", "[torch][rnn]") { check_fixture("rnncell_i6_h16_softmax4"); }
TEST_CASE("PyTorch nn.GRU then nn.RNN relu + Linear", "[torch][rnn]") {
  check_fixture("gru_h10_rnn_relu_h13_i3_linear2");
}

TEST_CASE("The PyTorch fixtures for nn.LSTM read into the layers the script wrote", "[torch][lstm]") {
  const std::vector<std::pair<std::string, std::string>> fixtures = {
      {"lstm_i1_h5", "lstm 1>5 bias"},
      {"lstm3_i2_h7_nobias_linear2", "lstm 2>7 nobias, lstm 7>7 nobias, lstm 7>7 nobias, dense identity 7>2 bias"},
      {"lstm2_proj_i3_h8_p3_tanh", "lstm 3>8>3 bias, lstm 3>8>3 bias, dense tanh 3>1 bias"},
      {"lstmcell_i6_h16_softmax4", "lstm 6>16 bias, dense softmax 16>4 bias"},
      {"lstm_h9_gru_h6_i2_linear1", "lstm 2>9 bias, gru 9>6 bias, dense identity 6>1 bias"},
      {"gru_h6_lstm_h33_i3_linear2", "gru 3>6 bias, lstm 6>33 bias, dense identity 33>2 bias"},
  };
  for (const auto& [name, layers] : fixtures) {
    INFO(name);
    const auto fixture = read_torch_text_model(std::string(GRURT_TORCH_FIXTURES) + "/" + name + ".txt");
    CHECK(describe(fixture.model) == layers);
    CHECK(fixture.steps == 16);
  }
}

TEST_CASE("PyTorch nn.LSTM, I = 1, H = 5, no head", "[torch][lstm]") { check_fixture("lstm_i1_h5"); }
TEST_CASE("PyTorch nn.LSTM, 3 layers without biases + Linear", "[torch][lstm]") {
  check_fixture("lstm3_i2_h7_nobias_linear2");
}
TEST_CASE("PyTorch nn.LSTM with proj_size, 2 layers + Linear + tanh", "[torch][lstm]") {
  check_fixture("lstm2_proj_i3_h8_p3_tanh");
}
TEST_CASE("PyTorch nn.LSTMCell + Linear + softmax", "[torch][lstm]") { check_fixture("lstmcell_i6_h16_softmax4"); }
TEST_CASE("PyTorch nn.LSTM then nn.GRU + Linear", "[torch][lstm]") { check_fixture("lstm_h9_gru_h6_i2_linear1"); }
TEST_CASE("PyTorch nn.GRU then nn.LSTM, H = 33 + Linear", "[torch][lstm]") {
  check_fixture("gru_h6_lstm_h33_i3_linear2");
}
