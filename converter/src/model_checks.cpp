// Consistency of a CanonicalModel before it is written.
#include <cmath>
#include <sstream>
#include <vector>

#include "grurt_convert/model_writer.hpp"

namespace grurt::convert {
namespace {

class Problems {
 public:
  // Starts a line about layer `index` (or the model when index < 0).
  std::ostream& at(int index, const char* kind) {
    if (index < 0) {
      out_ << "model: ";
    } else {
      out_ << "layer " << index << " (" << kind << "): ";
    }
    return out_;
  }
  void check_length(int index, const char* kind, const char* name, std::size_t found,
                    std::uint64_t expected, const char* formula, bool optional) {
    if (found == expected || (optional && found == 0)) return;
    at(index, kind) << name << " has " << found << " values, expected " << formula << " = " << expected
                    << (optional ? " (or none)" : "") << "\n";
  }
  // A NaN or infinity would be refused by the runtime's loader; say which value here.
  void check_finite(int index, const char* kind, const char* name, const std::vector<float>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::isfinite(values[i])) continue;
      at(index, kind) << name << " value " << i << " is " << values[i]
                      << ": weights must be finite (did training diverge?)\n";
      return;
    }
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

}  // namespace

std::string find_inconsistencies(const CanonicalModel& model) {
  Problems problems;
  if (model.input_size == 0) problems.at(-1, "") << "input size is 0\n";
  if (model.layers.empty()) problems.at(-1, "") << "no layers\n";
  std::uint32_t width = model.input_size;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const int index = static_cast<int>(i);
    const auto& layer = model.layers[i].layer;
    std::uint32_t input = 0;
    std::uint32_t output = 0;
    const char* kind = "";
    if (const auto* gru = std::get_if<GruSpec>(&layer)) {
      kind = "gru";
      input = gru->input_size;
      output = gru->hidden_size;
      const std::uint64_t gates = 3ull * output;
      problems.check_length(index, kind, "W", gru->w.size(), gates * input, "3*H*I", false);
      problems.check_length(index, kind, "R", gru->r.size(), gates * output, "3*H*H", false);
      problems.check_length(index, kind, "bW", gru->bias_w.size(), gates, "3*H", true);
      problems.check_length(index, kind, "bR", gru->bias_r.size(), gates, "3*H", true);
      problems.check_finite(index, kind, "W", gru->w);
      problems.check_finite(index, kind, "R", gru->r);
      problems.check_finite(index, kind, "bW", gru->bias_w);
      problems.check_finite(index, kind, "bR", gru->bias_r);
    } else if (const auto* rnn = std::get_if<RnnSpec>(&layer)) {
      kind = "rnn";
      input = rnn->input_size;
      output = rnn->hidden_size;
      problems.check_length(index, kind, "W", rnn->w.size(), std::uint64_t{output} * input, "H*I", false);
      problems.check_length(index, kind, "R", rnn->r.size(), std::uint64_t{output} * output, "H*H", false);
      problems.check_length(index, kind, "bW", rnn->bias_w.size(), output, "H", true);
      problems.check_length(index, kind, "bR", rnn->bias_r.size(), output, "H", true);
      problems.check_finite(index, kind, "W", rnn->w);
      problems.check_finite(index, kind, "R", rnn->r);
      problems.check_finite(index, kind, "bW", rnn->bias_w);
      problems.check_finite(index, kind, "bR", rnn->bias_r);
      if (rnn->activation != Activation::kTanh && rnn->activation != Activation::kRelu) {
        problems.at(index, kind) << "activation must be tanh or relu\n";
      }
    } else if (const auto* dense = std::get_if<DenseSpec>(&layer)) {
      kind = "dense";
      input = dense->input_size;
      output = dense->output_size;
      problems.check_length(index, kind, "weight", dense->weight.size(), std::uint64_t{output} * input, "O*I",
                            false);
      problems.check_length(index, kind, "bias", dense->bias.size(), output, "O", true);
      problems.check_finite(index, kind, "weight", dense->weight);
      problems.check_finite(index, kind, "bias", dense->bias);
    } else {
      const auto& activation = std::get<ActivationSpec>(layer);
      kind = "activation";
      input = output = activation.size;
    }
    if (input == 0 || output == 0) problems.at(index, kind) << "a size is 0\n";
    if (input != width) problems.at(index, kind) << "input size " << input << ", but the previous output is " << width << "\n";
    width = output;
  }
  return problems.text();
}

}  // namespace grurt::convert
