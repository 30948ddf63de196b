#include "keras_model.hpp"
#include "keras_gate_slices.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert::keras_model {
namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ConversionError(where + ": " + why); }

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

const Json& member(const Json& object, const char* key, const std::string& where) {
  if (!object.is_object()) fail(where, "is not an object");
  const auto found = object.find(key);
  if (found == object.end()) fail(where, std::string("has no '") + key + "'");
  return *found;
}

bool flag(const Json& config, const char* key, bool fallback) {
  const auto found = config.find(key);
  return found != config.end() && found->is_boolean() ? found->get<bool>() : fallback;
}

std::string text(const Json& config, const char* key, const std::string& fallback) {
  const auto found = config.find(key);
  if (found == config.end() || found->is_null()) return fallback;
  if (found->is_string()) return found->get<std::string>();
  // Keras 3 may write {"module": ..., "class_name": ..., "config": ...} for an activation.
  if (found->is_object() && found->contains("config") && (*found)["config"].is_string()) {
    return (*found)["config"].get<std::string>();
  }
  return "?";
}

Activation activation(const std::string& name, const std::string& where) {
  if (name == "linear" || name.empty()) return Activation::kIdentity;
  if (name == "tanh") return Activation::kTanh;
  if (name == "relu") return Activation::kRelu;
  if (name == "sigmoid") return Activation::kSigmoid;
  if (name == "softmax") return Activation::kSoftmax;
  fail(where, "activation '" + name + "', which grurt does not run (it runs linear, tanh, relu, sigmoid, softmax)");
}

// The feature count at the end of a Keras shape [null, null, F].
std::uint32_t last_axis(const Json& shape, const std::string& where) {
  if (!shape.is_array() || shape.empty() || !shape.back().is_number_integer() || shape.back().get<std::int64_t>() <= 0 ||
      shape.back().get<std::int64_t>() > (1 << 20)) {
    fail(where, "expected an input shape like [null, null, F]");
  }
  return static_cast<std::uint32_t>(shape.back().get<std::int64_t>());
}

class Reader {
 public:
  Reader(const WeightReader& weights, SourceFile& file, bool keras3) : weights_(weights), file_(file), keras3_(keras3) {}

  SourceModel read(const Json& root) {
    const std::string kind = member(root, "class_name", "model_config").get<std::string>();
    const Json& config = member(root, "config", "model_config");
    const Json* layers = &config;
    if (kind == "Sequential") {
      if (config.is_object()) layers = &member(config, "layers", "Sequential config");
    } else if (kind == "Functional" || kind == "Model") {
      layers = &member(config, "layers", kind + " config");
      check_chain(*layers, config);
    } else {
      fail("model_config", "class '" + kind + "'; grurt reads Sequential and Functional (one chain of layers) models");
    }
    if (!layers->is_array() || layers->empty()) fail("model_config", "has no layers");
    model_.layout = "keras";
    for (std::size_t i = 0; i < layers->size(); ++i) layer((*layers)[i], i + 1 == layers->size());
    if (model_.layers.empty()) fail("model_config", "has no layer grurt runs");
    return std::move(model_);
  }

 private:
  const WeightReader& weights_;
  SourceFile& file_;
  bool keras3_;
  SourceModel model_;
  std::uint32_t width_ = 0;  // features the next layer reads, 0 until the input says
  std::set<std::string> names_;  // layer names seen: Keras keeps them unique, and weights are found by them
  // A recurrent layer with return_sequences false came before: the layers
  // after it see one vector per sequence, its last step's. Per-vector layers
  // (Dense, Activation) then compute on the last step what grurt computes on
  // every step; another recurrent layer would run over a different sequence.
  std::string sequence_ended_;

  // A functional model is read when its layers form one chain in list order.
  static void check_chain(const Json& layers, const Json& config) {
    if (!layers.is_array()) fail("model_config", "layers must be a list");
    std::string previous;
    for (const Json& layer : layers) {
      const std::string name = member(layer, "name", "a layer").get<std::string>();
      const Json& inbound = member(layer, "inbound_nodes", "layer '" + name + "'");
      std::vector<std::string> sources;
      // Keras 2: [[["input_1", 0, 0, {}]]]; Keras 3: [{"args": [{"config": {"keras_history": ["input_1", 0, 0]}}]}].
      const std::string dumped = inbound.dump();
      for (const Json& l : layers) {
        const std::string other = l.value("name", "");
        if (other != name && (dumped.find("[\"" + other + "\",") != std::string::npos)) sources.push_back(other);
      }
      if (previous.empty() ? !sources.empty() : sources != std::vector<std::string>{previous}) {
        fail("layer '" + name + "'", "does not read only the layer listed before it ('" + previous +
                                         "'); grurt reads functional models that are one chain of layers");
      }
      previous = name;
    }
    (void)config;
  }

  std::string weight(const std::string& layer, std::size_t k, const std::vector<std::int64_t>& expected,
                     const std::string& where, const std::string& what) {
    const std::string name = weights_(layer, k, expected, file_);
    const auto& shape = file_.tensors.at(name).shape;
    if (shape != expected) fail(where, what + " '" + name + "' has shape " + shape_text(shape) + ", expected " + shape_text(expected));
    return name;
  }

  void input_shape(const Json& config, const std::string& where) {
    for (const char* key : {"batch_input_shape", "batch_shape"}) {
      const auto found = config.find(key);
      if (found != config.end()) {
        const std::uint32_t features = last_axis(*found, where + " " + key);
        if (width_ == 0) width_ = model_.input_size = features;
        return;
      }
    }
  }

  void layer(const Json& entry, bool last) {
    const std::string kind = member(entry, "class_name", "layer").get<std::string>();
    const Json& config = member(entry, "config", "layer '" + kind + "'");
    const std::string name = config.value("name", kind);
    const std::string where = "layer '" + name + "' (" + kind + ")";
    if (!names_.insert(name).second) fail(where, "has the name of a layer before it; Keras layer names are unique");
    static const char* const kRead[] = {"InputLayer", "Dropout", "SpatialDropout1D", "GaussianNoise", "Dense",
                                        "TimeDistributed", "Activation", "GRU", "LSTM", "SimpleRNN"};
    if (std::find(std::begin(kRead), std::end(kRead), kind) == std::end(kRead)) unread(kind, where);
    input_shape(config, where);
    if (kind == "InputLayer" || kind == "Dropout" || kind == "SpatialDropout1D" || kind == "GaussianNoise") return;
    if (width_ == 0) fail(where, "comes before any input shape (no InputLayer or batch_input_shape)");
    const bool recurrent_kind = kind == "GRU" || kind == "LSTM" || kind == "SimpleRNN";
    if (!sequence_ended_.empty() && recurrent_kind) {
      fail(where, "follows " + sequence_ended_ + ", which has return_sequences false and gives one output per "
                  "sequence, so this layer would run over a sequence of one step; grurt streams one per step");
    }
    if (kind == "Dense") return dense(config, name, where, name);
    if (kind == "TimeDistributed") {
      const Json& inner = member(config, "layer", where);
      const std::string inner_kind = member(inner, "class_name", where).get<std::string>();
      if (inner_kind != "Dense") fail(where, "wraps a " + inner_kind + "; grurt reads TimeDistributed(Dense)");
      return dense(member(inner, "config", where), name, where, name);
    }
    if (kind == "Activation") {
      const Activation a = activation(text(config, "activation", "linear"), where);
      if (a != Activation::kIdentity) model_.layers.push_back({name, ActivationSpec{width_, a}});
      return;
    }
    recurrent(kind, config, name, where, last);
  }

  [[noreturn]] static void unread(const std::string& kind, const std::string& where) {
    if (kind == "Bidirectional") {
      fail(where, "runs a layer backwards over the sequence too, which a stream fed one step at a time never has");
    }
    if (kind == "Masking") fail(where, "skips masked steps, which grurt's streaming does not do");
    fail(where, "is a layer grurt does not read; it reads InputLayer, GRU, LSTM, SimpleRNN, Dense, "
                "TimeDistributed(Dense), Activation and Dropout");
  }

  void dense(const Json& config, const std::string& layer, const std::string& where, const std::string& name) {
    SourceDense d;
    d.input_size = width_;
    d.output_size = units(config, where);
    d.activation = activation(text(config, "activation", "linear"), where);
    const std::int64_t I = width_, O = d.output_size;
    d.weight = TensorSlice{weight(layer, 0, {I, O}, where, "kernel"), 0, width_, 0, d.output_size, true};
    if (flag(config, "use_bias", true)) {
      d.bias = TensorSlice{weight(layer, 1, {O}, where, "bias"), 0, d.output_size, 0, 1, false};
    }
    width_ = d.output_size;
    model_.layers.push_back({name, d});
  }

  static std::uint32_t units(const Json& config, const std::string& where) {
    if (!config.contains("units") && config.contains("output_dim")) {
      fail(where, "is in Keras 1's layout ('output_dim'); grurt reads models saved by Keras 2 and 3");
    }
    const Json& u = member(config, "units", where);
    if (!u.is_number_integer() || u.get<std::int64_t>() <= 0 || u.get<std::int64_t>() > (1 << 16)) {
      fail(where, "units must be a positive integer");
    }
    return static_cast<std::uint32_t>(u.get<std::int64_t>());
  }

  void recurrent(const std::string& kind, const Json& config, const std::string& name, const std::string& where,
                 bool last) {
    if (flag(config, "go_backwards", false)) {
      fail(where, "has go_backwards true: it reads the sequence from the end, which a stream never has");
    }
    if (!flag(config, "return_sequences", false)) {
      sequence_ended_ = where;
      model_.assumptions.push_back(where + " has return_sequences false (Keras gives the last step's output only" +
                                   std::string(last ? "" : ", and the layers after it compute on that") +
                                   "); grurt gives every step's, the caller takes the last");
    }
    const std::uint32_t H = units(config, where);
    const std::int64_t I = width_, h = H;
    const std::string candidate = text(config, "activation", "tanh");
    const std::string gate = text(config, "recurrent_activation", kind == "SimpleRNN" ? "" : "sigmoid");
    const bool bias = flag(config, "use_bias", true);
    if (kind == "SimpleRNN") {
      SourceRnn rnn;
      rnn.input_size = width_;
      rnn.hidden_size = H;
      rnn.activation = activation(candidate, where);
      if (rnn.activation != Activation::kTanh && rnn.activation != Activation::kRelu) {
        fail(where, "activation '" + candidate + "'; grurt's RNN layer runs tanh or relu");
      }
      rnn.w = TensorSlice{weight(name, 0, {I, h}, where, "kernel"), 0, width_, 0, H, true};
      rnn.r = TensorSlice{weight(name, 1, {h, h}, where, "recurrent_kernel"), 0, H, 0, H, true};
      if (bias) rnn.bias_w = TensorSlice{weight(name, 2, {h}, where, "bias"), 0, H, 0, 1, false};
      model_.layers.push_back({name, rnn});
    } else if (kind == "GRU") {
      gru(config, name, where, candidate, gate, bias, H);
    } else {
      if (candidate != "tanh") fail(where, "activation '" + candidate + "'; grurt's LSTM runs tanh");
      SourceLstm lstm;
      lstm.input_size = width_;
      lstm.hidden_size = H;
      gates(gate, "LSTM", where, lstm);
      const std::string k = weight(name, 0, {I, 4 * h}, where, "kernel (gates i, f, c, o)");
      const std::string r = weight(name, 1, {h, 4 * h}, where, "recurrent_kernel");
      const std::string b = bias ? weight(name, 2, {4 * h}, where, "bias") : "";
      keras_layout::lstm_slices(k, r, b, width_, H, lstm);
      model_.layers.push_back({name, lstm});
    }
    width_ = H;
  }

  // recurrent_activation of a GRU (r, z) or LSTM (i, f, o): sigmoid, or
  // hard_sigmoid (Keras's default before 2.3), whose slope Keras 3 changed.
  template <class Layer>
  void gates(const std::string& gate, const char* kind, const std::string& where, Layer& layer) const {
    if (gate == "hard_sigmoid") {
      layer.gate_activation = GateActivation::kHardSigmoid;
      layer.hard_sigmoid_slope = keras3_ ? 1.0f / 6.0f : 0.2f;  // Keras 3: relu6(x + 3) / 6
      layer.hard_sigmoid_offset = 0.5f;
    } else if (gate != "sigmoid") {
      fail(where, "recurrent_activation '" + gate + "'; grurt's " + kind + " gates run sigmoid or hard_sigmoid");
    }
  }

  // Keras's GRU: gates z, r, h in the kernels; reset_after true (TF2's
  // default) applies r after R h with a [2, 3H] bias, false (TF1, Keras 2
  // before 2.3) before it with a [3H] input bias; h' = z*h + (1-z)*hh.
  void gru(const Json& config, const std::string& name, const std::string& where, const std::string& candidate,
           const std::string& gate, bool bias, std::uint32_t H) {
    SourceGru g;
    g.input_size = width_;
    g.hidden_size = H;
    g.reset_after = flag(config, "reset_after", false);
    g.update_keeps_state = true;
    g.candidate_activation = activation(candidate, where);
    if (g.candidate_activation != Activation::kTanh && g.candidate_activation != Activation::kRelu) {
      fail(where, "activation '" + candidate + "'; grurt's GRU candidate runs tanh or relu");
    }
    gates(gate, "GRU", where, g);
    const std::int64_t I = width_, h = H;
    const std::string k = weight(name, 0, {I, 3 * h}, where, "kernel (gates z, r, h)");
    const std::string r = weight(name, 1, {h, 3 * h}, where, "recurrent_kernel");
    std::string b;
    if (bias) {
      b = g.reset_after ? weight(name, 2, {2, 3 * h}, where, "bias [2, 3*units] (reset_after true)")
                        : weight(name, 2, {3 * h}, where, "bias [3*units] (reset_after false)");
    }
    keras_layout::gru_slices(k, r, b, width_, H, g);
    model_.layers.push_back({name, g});
  }
};

}  // namespace

SourceModel read(const std::string& config_json, const std::string& keras_version, const WeightReader& weights,
                 SourceFile& file) {
  Json root;
  try {
    root = Json::parse(config_json);
  } catch (const Json::exception& e) {
    throw ConversionError(std::string("model_config: not valid JSON: ") + e.what());
  }
  try {
    return Reader(weights, file, keras_version.rfind("3", 0) == 0).read(root);
  } catch (const Json::exception& e) {
    throw ConversionError(std::string("model_config: a field has the wrong type: ") + e.what());
  }
}

}  // namespace grurt::convert::keras_model
