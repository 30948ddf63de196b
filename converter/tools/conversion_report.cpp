#include "conversion_report.hpp"

#include <sstream>

namespace grurt::convert {
namespace {

const char* kGates[3] = {"r", "z", "n"};

void gates(std::ostringstream& out, const char* field, const std::array<TensorSlice, 3>& slices, bool negate_z) {
  out << "      " << field << " <-";
  for (int g = 0; g < 3; ++g) {
    out << (g ? " | " : " ") << kGates[g] << " " << (g == 1 && negate_z ? "-" : "") << slices[g].describe();
  }
  out << "\n";
}

void optional_gates(std::ostringstream& out, const char* field, const std::array<std::optional<TensorSlice>, 3>& slices,
                    bool negate_z) {
  out << "      " << field << " <-";
  for (int g = 0; g < 3; ++g) {
    out << (g ? " | " : " ") << kGates[g] << " ";
    if (slices[g]) {
      out << (g == 1 && negate_z ? "-" : "") << slices[g]->describe();
    } else {
      out << "zeros";
    }
  }
  out << "\n";
}

}  // namespace

std::string describe_source(const SourceModel& model) {
  std::ostringstream out;
  out << "layout   " << model.layout;
  if (!model.prefix.empty()) out << " under prefix '" << model.prefix << "'";
  if (model.head) out << ", Linear head '" << *model.head << "'";
  out << "\n";
  for (const std::string& assumption : model.assumptions) out << "assumed  " << assumption << "\n";
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const auto& layer = model.layers[i].layer;
    out << "layer " << i << "  ";
    if (const auto* gru = std::get_if<SourceGru>(&layer)) {
      const bool negate = !gru->update_keeps_state;
      out << "gru " << gru->input_size << " -> " << gru->hidden_size
          << (gru->reset_after ? ", reset after" : ", reset before")
          << (negate ? ", update (1-z)*h + z*n mapped by negating z" : "") << "\n";
      gates(out, "W ", gru->w, negate);
      gates(out, "R ", gru->r, negate);
      optional_gates(out, "bW", gru->bias_w, negate);
      optional_gates(out, "bR", gru->bias_r, negate);
    } else if (const auto* rnn = std::get_if<SourceRnn>(&layer)) {
      out << "rnn " << rnn->input_size << " -> " << rnn->hidden_size << ", h' = " << activation_name(rnn->activation)
          << "(W x + bW + R h + bR)\n      W  <- " << rnn->w.describe() << "\n      R  <- " << rnn->r.describe()
          << "\n      bW <- " << (rnn->bias_w ? rnn->bias_w->describe() : "zeros")
          << "\n      bR <- " << (rnn->bias_r ? rnn->bias_r->describe() : "zeros") << "\n";
    } else if (const auto* dense = std::get_if<SourceDense>(&layer)) {
      out << "dense " << dense->input_size << " -> " << dense->output_size << ", "
          << activation_name(dense->activation) << "\n      weight <- " << dense->weight.describe()
          << "\n      bias   <- " << (dense->bias ? dense->bias->describe() : "zeros") << "\n";
    } else {
      const auto& activation = std::get<ActivationSpec>(layer);
      out << "activation " << activation_name(activation.activation) << " (" << activation.size << ")\n";
    }
  }
  return out.str();
}

}  // namespace grurt::convert
