#include "rtneural_model.hpp"

#include <cmath>

#include "grurt_convert/conversion_error.hpp"
#include "../keras/keras_gate_slices.hpp"

namespace grurt::convert::rtneural_model {
namespace {

using json_tensors::Json;

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ConversionError(where + ": " + why); }

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// `object`'s `key`, which must be there (a const lookup of a missing key is not allowed).
const Json& field(const Json& object, const char* key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end()) fail(where, std::string("has no '") + key + "'");
  return *found;
}

// The last entry of a Keras shape ([null, null, 8]): the feature count.
std::uint32_t features(const Json& shape, const std::string& where) {
  if (!shape.is_array() || shape.empty() || !shape.back().is_number_integer() || shape.back().get<std::int64_t>() <= 0 ||
      shape.back().get<std::int64_t>() > (1 << 20)) {
    fail(where, "expected a shape like [null, null, N] with N > 0");
  }
  if (shape.size() == 4) fail(where, "is 4-D (a conv2d model); grurt streams vectors of features");
  return static_cast<std::uint32_t>(shape.back().get<std::int64_t>());
}

// RTNeural's activation names; an empty one (or none) is the identity.
Activation activation(const Json& layer, const std::string& where) {
  if (!layer.contains("activation")) return Activation::kIdentity;
  const Json& a = field(layer, "activation", where);
  if (!a.is_string()) fail(where, "'activation' must be a string");
  const std::string name = a.get<std::string>();
  if (name.empty() || name == "linear") return Activation::kIdentity;
  if (name == "tanh") return Activation::kTanh;
  if (name == "relu") return Activation::kRelu;
  if (name == "sigmoid") return Activation::kSigmoid;
  if (name == "softmax") return Activation::kSoftmax;
  fail(where, "activation '" + name + "', which grurt does not run (it runs tanh, relu, sigmoid, softmax)");
}

class Reader {
 public:
  explicit Reader(const Json& root) : root_(root) {}

  SourceFile read() {
    file_.format = root_.contains("in_skip") || root_.contains("out_gain") || root_.contains("in_gain")
                       ? "AIDA-X JSON" : "RTNeural JSON";
    if (!root_.is_object()) fail("file", "is not a JSON object");
    for (const auto& [key, value] : root_.items()) {
      static const std::vector<std::string> kModel = {"in_shape", "layers", "in_skip", "out_gain", "in_gain"};
      if (std::find(kModel.begin(), kModel.end(), key) == kModel.end()) ignored_.push_back("'" + key + "'");
    }
    model_.layout = file_.format == "AIDA-X JSON" ? "aida-x" : "rtneural";
    width_ = model_.input_size = features(field(root_, "in_shape", "file"), "in_shape");
    const Json& layers = field(root_, "layers", "file");
    if (!layers.is_array() || layers.empty()) fail("layers", "must be a non-empty list");
    for (std::size_t i = 0; i < layers.size(); ++i) layer(layers[i], i);
    if (model_.layers.empty()) fail("layers", "hold no layer grurt runs (only empty activations)");
    aida_x();
    if (!ignored_.empty()) {
      std::string list;
      for (const auto& key : ignored_) list += (list.empty() ? "" : ", ") + key;
      model_.assumptions.push_back("top-level keys " + list + " are not part of the model and were ignored");
    }
    file_.declared = std::move(model_);
    return std::move(file_);
  }

 private:
  const Json& root_;
  SourceFile file_;
  SourceModel model_;
  std::uint32_t width_ = 0;  // features the next layer reads
  std::vector<std::string> ignored_;

  // weights[k] of layer `index` as a tensor of the file, checked against `expected` (0: any).
  std::string weights(const Json& layer, std::size_t index, std::size_t k, const std::vector<std::int64_t>& expected,
                      const std::string& where, const std::string& what) {
    const Json& list = field(layer, "weights", where);
    const std::string name = "layers[" + std::to_string(index) + "].weights[" + std::to_string(k) + "]";
    if (!list.is_array() || list.size() <= k) fail(where, "has no " + name + " (" + what + ")");
    SourceTensor tensor = json_tensors::read(list[k], name);
    if (tensor.shape != expected) {
      fail(where, name + " (" + what + ") has shape " + shape_text(tensor.shape) + ", expected " + shape_text(expected));
    }
    file_.tensors[name] = std::move(tensor);
    return name;
  }

  void layer(const Json& layer, std::size_t index) {
    if (!layer.is_object() || !layer.contains("type") || !field(layer, "type", "").is_string()) {
      fail("layers[" + std::to_string(index) + "]", "must be an object with a string 'type'");
    }
    const std::string type = field(layer, "type", "").get<std::string>();
    const std::string where = "layer " + std::to_string(index) + " ('" + type + "')";
    const std::string name = "layer" + std::to_string(index) + "_" + type;
    if (type == "activation") {
      const Activation kind = activation(layer, where);
      if (kind != Activation::kIdentity) model_.layers.push_back({name, ActivationSpec{width_, kind}});
      return;
    }
    const std::uint32_t units = features(field(layer, "shape", where), where + " shape");
    const std::int64_t I = width_, H = units;
    if (type == "dense" || type == "time-distributed-dense") {
      SourceDense dense;
      dense.input_size = width_;
      dense.output_size = units;
      dense.activation = activation(layer, where);
      // Keras kernel [I, O]; grurt wants [O x I].
      dense.weight = TensorSlice{weights(layer, index, 0, {I, H}, where, "kernel [inputs, units]"), 0, width_, 0, units, true};
      if (field(layer, "weights", where).size() > 1) {
        dense.bias = TensorSlice{weights(layer, index, 1, {H}, where, "bias [units]"), 0, units, 0, 1, false};
      }
      model_.layers.push_back({name, dense});
    } else if (type == "gru") {
      recurrent_activation(layer, where);
      SourceGru gru;
      gru.input_size = width_;
      gru.hidden_size = units;
      gru.reset_after = true;         // RTNeural's GRU is Keras's reset_after=True
      gru.update_keeps_state = true;  // h' = z*h + (1-z)*n
      const std::string k = weights(layer, index, 0, {I, 3 * H}, where, "kernel [inputs, 3*units], gates z, r, h");
      const std::string r = weights(layer, index, 1, {H, 3 * H}, where, "recurrent kernel [units, 3*units]");
      const std::string b = weights(layer, index, 2, {2, 3 * H}, where, "bias [2, 3*units]: input, then recurrent, as Keras's reset_after=True writes it");
      keras_layout::gru_slices(k, r, b, width_, units, gru);
      model_.layers.push_back({name, gru});
    } else if (type == "lstm") {
      recurrent_activation(layer, where);
      SourceLstm lstm;
      lstm.input_size = width_;
      lstm.hidden_size = units;
      const std::string k = weights(layer, index, 0, {I, 4 * H}, where, "kernel [inputs, 4*units], gates i, f, c, o");
      const std::string r = weights(layer, index, 1, {H, 4 * H}, where, "recurrent kernel [units, 4*units]");
      const std::string b = weights(layer, index, 2, {4 * H}, where, "bias [4*units]");
      keras_layout::lstm_slices(k, r, b, width_, units, lstm);
      model_.layers.push_back({name, lstm});
    } else {
      fail(where, "is a layer type grurt does not run; it reads dense, time-distributed-dense, gru, lstm and "
                  "activation layers");
    }
    width_ = units;
  }

  // RTNeural runs its GRU and LSTM with tanh whatever the file says; a
  // file naming another activation was trained with it, so it is refused
  // rather than run differently.
  static void recurrent_activation(const Json& layer, const std::string& where) {
    if (!layer.contains("activation")) return;
    const Json& a = field(layer, "activation", where);
    if (a.is_string() && (a.get<std::string>().empty() || a.get<std::string>() == "tanh")) return;
    fail(where, "activation " + a.dump() + ": RTNeural's recurrent layers always run tanh, so the file does not "
                "say what the trained layer computed");
  }

  // AIDA-X (its plugin's applyModel): x0 *= 10^(in_gain / 20) (the audio
  // channel only), y = model(x), then y *= 10^(out_gain / 20), or with
  // in_skip 1, y = (x0 + y) * 10^(out_gain / 20). A gain of -90 dB or less is 0.
  void aida_x() {
    const double in_db = decibels("in_gain"), out_db = decibels("out_gain");
    bool skip = false;
    if (root_.contains("in_skip")) {
      const Json& value = field(root_, "in_skip", "file");
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 1) {
        fail("in_skip", "is " + value.dump() + "; AIDA-X reads 0 or 1");
      }
      skip = value.get<std::int64_t>() == 1;
    }
    if (skip && (in_db != 0.0 || out_db != 0.0)) {
      fail("in_skip", "is 1 with in_gain " + Json(in_db).dump() + " dB and out_gain " + Json(out_db).dump() +
                          " dB: AIDA-X scales the skipped input too ((gain_in * x + model) * gain_out), and grurt's "
                          "skip adds the input unscaled; only in_skip with 0 dB gains is read");
    }
    if (in_db != 0.0) {  // in front: scales input channel 0, the audio
      SourceDense dense = diagonal("in_gain", in_db, model_.input_size, 1);
      model_.layers.insert(model_.layers.begin(), SourceLayer{"in_gain", dense});
    }
    if (out_db != 0.0) model_.layers.push_back({"out_gain", diagonal("out_gain", out_db, width_, width_)});
    if (skip) {
      if (model_.input_size < width_) {
        fail("in_skip", "adds input j to output j, but the model has " + std::to_string(model_.input_size) +
                            " inputs and " + std::to_string(width_) + " outputs");
      }
      model_.skip = SkipSpec{};
      model_.skip_origin = "AIDA-X in_skip 1";
    }
  }

  double decibels(const char* key) {
    if (!root_.contains(key)) return 0.0;
    const Json& value = field(root_, key, "file");
    if (!value.is_number() || !std::isfinite(value.get<double>()) || std::abs(value.get<double>()) > 200.0) {
      fail(key, "is " + value.dump() + "; expected a gain in dB within +-200");
    }
    return value.get<double>();
  }

  // A dense layer [n x n] scaling its first `scaled` channels by 10^(db / 20)
  // (0 at -90 dB or less, as AIDA-X reads it), the others by 1; its tensor is
  // named after the key so that the report shows where it came from.
  SourceDense diagonal(const std::string& key, double db, std::uint32_t n, std::uint32_t scaled) {
    if (n > 1024) fail(key, "scales " + std::to_string(n) + " channels; grurt folds a gain into up to 1024");
    const float g = db > -90.0 ? static_cast<float>(std::pow(10.0, db / 20.0)) : 0.0f;
    SourceTensor tensor;
    tensor.dtype = "F32";
    tensor.shape = {n, n};
    tensor.values.assign(static_cast<std::size_t>(n) * n, 0.0f);
    for (std::uint32_t i = 0; i < n; ++i) tensor.values[static_cast<std::size_t>(i) * n + i] = i < scaled ? g : 1.0f;
    const std::string name = key + " " + Json(db).dump() + " dB";
    file_.tensors[name] = std::move(tensor);
    SourceDense dense;
    dense.input_size = dense.output_size = n;
    dense.weight = TensorSlice{name, 0, n, 0, n, false};
    return dense;
  }
};

}  // namespace

bool recognise(const Json& root) { return root.is_object() && root.contains("in_shape") && root.contains("layers"); }

SourceFile read(const Json& root) { return Reader(root).read(); }

}  // namespace grurt::convert::rtneural_model
