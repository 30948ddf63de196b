#include "torch_text_model.hpp"

#include <fstream>
#include <stdexcept>

namespace grurt::test {
namespace {

class Reader {
 public:
  explicit Reader(const std::string& path) : path_(path), in_(path) {
    if (!in_) fail("cannot open");
  }

  [[noreturn]] void fail(const std::string& what) const { throw std::runtime_error(path_ + ": " + what); }

  bool word(std::string& out) {
    while (in_ >> out) {
      if (out[0] != '#') return true;
      std::getline(in_, out);  // rest of a comment line
    }
    return false;
  }

  template <typename T>
  T number() {
    T value{};
    if (!(in_ >> value)) fail("expected a number");
    return value;
  }

  std::vector<float> tensor(const std::string& expected_name, std::size_t expected_count) {
    std::string keyword, name;
    if (!word(keyword) || keyword != "tensor" || !word(name) || name != expected_name) {
      fail("expected tensor " + expected_name);
    }
    const auto rows = number<std::size_t>();
    const auto cols = number<std::size_t>();
    if (rows * cols != expected_count) fail("tensor " + name + " has the wrong size");
    std::vector<float> values(expected_count);
    for (float& v : values) v = number<float>();
    return values;
  }

 private:
  std::string path_;
  std::ifstream in_;
};

Activation parse_activation(Reader& reader, const std::string& name) {
  for (Activation a : {Activation::kIdentity, Activation::kTanh, Activation::kSigmoid, Activation::kRelu,
                       Activation::kSoftmax}) {
    if (name == activation_name(a)) return a;
  }
  reader.fail("unknown activation " + name);
}

// A misspelt flag must not quietly mean "no bias".
bool parse_bias(Reader& reader, const std::string& word) {
  if (word == "bias") return true;
  if (word != "nobias") reader.fail("expected bias or nobias, not '" + word + "'");
  return false;
}

}  // namespace

TorchTextModel read_torch_text_model(const std::string& path) {
  Reader reader(path);
  TorchTextModel result;
  std::string keyword;
  while (reader.word(keyword)) {
    if (keyword == "input_size") {
      result.model.input_size = reader.number<std::uint32_t>();
    } else if (keyword == "gru") {
      convert::GruSpec gru;
      std::string variant, bias;
      gru.input_size = reader.number<std::uint32_t>();
      gru.hidden_size = reader.number<std::uint32_t>();
      reader.word(variant);
      reader.word(bias);
      gru.reset_after = variant == "reset_after";
      const std::size_t gates = 3u * gru.hidden_size;
      gru.w = reader.tensor("W", gates * gru.input_size);
      gru.r = reader.tensor("R", gates * gru.hidden_size);
      if (parse_bias(reader, bias)) {
        gru.bias_w = reader.tensor("bW", gates);
        gru.bias_r = reader.tensor("bR", gates);
      }
      result.model.layers.push_back({"", gru});
    } else if (keyword == "rnn") {
      convert::RnnSpec rnn;
      std::string activation, bias;
      rnn.input_size = reader.number<std::uint32_t>();
      rnn.hidden_size = reader.number<std::uint32_t>();
      reader.word(activation);
      reader.word(bias);
      rnn.activation = parse_activation(reader, activation);
      if (rnn.activation != Activation::kTanh && rnn.activation != Activation::kRelu) {
        reader.fail("an rnn layer's activation is tanh or relu, not " + activation);
      }
      rnn.w = reader.tensor("W", std::size_t{rnn.hidden_size} * rnn.input_size);
      rnn.r = reader.tensor("R", std::size_t{rnn.hidden_size} * rnn.hidden_size);
      if (parse_bias(reader, bias)) {
        rnn.bias_w = reader.tensor("bW", rnn.hidden_size);
        rnn.bias_r = reader.tensor("bR", rnn.hidden_size);
      }
      result.model.layers.push_back({"", rnn});
    } else if (keyword == "lstm") {
      convert::LstmSpec lstm;
      std::string bias;
      lstm.input_size = reader.number<std::uint32_t>();
      lstm.hidden_size = reader.number<std::uint32_t>();
      lstm.projection_size = reader.number<std::uint32_t>();
      reader.word(bias);
      const std::size_t gates = 4u * lstm.hidden_size;
      lstm.w = reader.tensor("W", gates * lstm.input_size);
      lstm.r = reader.tensor("R", gates * lstm.output_size());
      if (parse_bias(reader, bias)) {
        lstm.bias_w = reader.tensor("bW", gates);
        lstm.bias_r = reader.tensor("bR", gates);
      }
      if (lstm.projection_size != 0) {
        lstm.projection = reader.tensor("projection", std::size_t{lstm.projection_size} * lstm.hidden_size);
      }
      result.model.layers.push_back({"", lstm});
    } else if (keyword == "dense") {
      convert::DenseSpec dense;
      std::string activation, bias;
      dense.input_size = reader.number<std::uint32_t>();
      dense.output_size = reader.number<std::uint32_t>();
      reader.word(activation);
      reader.word(bias);
      dense.activation = parse_activation(reader, activation);
      dense.weight = reader.tensor("weight", std::size_t{dense.output_size} * dense.input_size);
      if (parse_bias(reader, bias)) dense.bias = reader.tensor("bias", dense.output_size);
      result.model.layers.push_back({"", dense});
    } else if (keyword == "inputs") {
      result.steps = reader.number<std::uint32_t>();
      result.inputs.resize(std::size_t{result.steps} * reader.number<std::size_t>());
      for (float& v : result.inputs) v = reader.number<float>();
    } else if (keyword == "outputs") {
      const auto steps = reader.number<std::size_t>();
      result.outputs.resize(steps * reader.number<std::size_t>());
      for (double& v : result.outputs) v = reader.number<double>();
    } else {
      reader.fail("unexpected word '" + keyword + "'");
    }
  }
  if (result.steps == 0 || result.model.layers.empty()) reader.fail("no layers or no inputs");
  return result;
}

}  // namespace grurt::test
