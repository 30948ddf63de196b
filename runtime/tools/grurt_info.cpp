// grurt-info: what a .grurt file holds and what running it costs.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "grurt/grurt.hpp"
#include "model_file.hpp"
#include "tool_main.hpp"
#include "weight_bytes.hpp"

namespace {

// ", gates clip(0.2x+0.5)" for hard_sigmoid gates (GRU, LSTM), "" for sigmoid.
std::string gate_details(const grurt::LayerView& layer) {
  if (layer.gate_activation != grurt::GateActivation::kHardSigmoid) return "";
  char gates[64];
  std::snprintf(gates, sizeof gates, ", gates clip(%gx+%g)", layer.hard_sigmoid_slope, layer.hard_sigmoid_offset);
  return gates;
}

// From the view alone, so a new layer kind needs a line here at most: the
// GRU's variant (reset, and candidate and gate activations when not tanh and
// sigmoid), the LSTM's cell size, projection, peephole and gates when not
// sigmoid, or the layer's activation; whether a weighted layer has biases,
// and whether a recurrent layer starts from a stored initial state.
std::string layer_details(const grurt::LayerView& layer) {
  std::string details;
  if (layer.kind == grurt::LayerKind::kGru) {
    details = layer.reset_after ? "reset after" : "reset before";
    if (layer.activation != grurt::Activation::kTanh) {
      details += std::string(", n ") + grurt::activation_name(layer.activation);
    }
    details += gate_details(layer);
  } else if (layer.kind == grurt::LayerKind::kLstm) {
    details = "cell " + std::to_string(layer.cell_size);
    if (layer.projection) details += ", projected";
    if (layer.peephole != nullptr) details += ", peephole";
    details += gate_details(layer);
  } else {
    details = grurt::activation_name(layer.activation);
  }
  if (layer.weight && layer.bias == nullptr && layer.recurrent_bias == nullptr) details += ", no bias";
  if (layer.initial_state != nullptr) details += ", initial state stored";
  return details;
}

bool checksum_mismatch(const grurt::Integrity& integrity) {
  return integrity.present && integrity.checked && integrity.stored != integrity.computed;
}

// Loads `path` with its checksum checked; a file refused only for a checksum
// mismatch is loaded again without the check, so its contents can be shown.
// Returns what the check found.
grurt::Integrity load_for_inspection(const std::string& path, grurt::tools::LoadedModel& loaded) {
  try {
    grurt::tools::load_model_file(path, loaded);
    return loaded.model.integrity();
  } catch (const std::runtime_error&) {
    const grurt::Integrity integrity = loaded.model.integrity();
    if (!checksum_mismatch(integrity)) throw;
    grurt::LoadOptions unchecked;
    unchecked.verify_checksum = false;
    grurt::tools::load_model_file(path, loaded, unchecked);
    return integrity;
  }
}

void print_integrity(const grurt::Integrity& integrity) {
  if (!integrity.present) {
    std::printf("integrity     none (a file of grurt-convert 0.1.0): not checked\n");
    return;
  }
  std::printf("integrity     CRC-32C stored 0x%08X, computed 0x%08X: %s\n", static_cast<unsigned>(integrity.stored),
              static_cast<unsigned>(integrity.computed),
              checksum_mismatch(integrity) ? "MISMATCH, the file is damaged and the runtime refuses it" : "match");
}

// Returns the exit status: 0, or 1 for a file whose checksum does not match
// (its contents are printed all the same, after a warning on stderr).
int print_info(const std::string& path) {
  grurt::tools::LoadedModel loaded;
  const grurt::Integrity integrity = load_for_inspection(path, loaded);
  const bool damaged = checksum_mismatch(integrity);
  if (damaged) {
    std::fflush(stdout);
    std::fprintf(stderr,
                 "grurt-info: warning: %s: CRC-32C mismatch (stored 0x%08X, computed 0x%08X): the file is damaged "
                 "and the runtime refuses it; its contents are shown as they are, for diagnosis only\n",
                 path.c_str(), static_cast<unsigned>(integrity.stored), static_cast<unsigned>(integrity.computed));
  }
  grurt::LoadOptions options;  // the integer path's view, as the float one's
  options.verify_checksum = !damaged;
  const grurt::Model& model = loaded.model;
  std::printf("file          %s (%zu bytes)\n", path.c_str(), loaded.bytes.size());
  std::printf("format        version %u\n", model.format_version());
  print_integrity(integrity);
  std::printf("producer      %s\n", model.producer());
  std::printf("source        %s\n", model.source());
  std::printf("description   %s\n", model.description());
  std::printf("input size    %u\n", model.input_size());
  std::printf("output size   %u\n", model.output_size());
  std::printf("layers        %u\n", model.num_layers());
  std::printf("  %-3s %-10s %7s %7s  %-22s %12s %7s %12s  %s\n", "#", "kind", "in", "out", "details", "parameters",
              "weights", "weight bytes", "name");
  for (std::uint32_t i = 0; i < model.num_layers(); ++i) {
    const grurt::LayerView layer = model.layer(i);
    const grurt::tools::WeightBytes bytes = grurt::tools::weight_bytes(layer);
    std::printf("  %-3u %-10s %7u %7u  %-22s %12llu %7s %12llu  %s\n", i, grurt::layer_kind_name(layer.kind),
                layer.input_size, layer.output_size, layer_details(layer).c_str(),
                static_cast<unsigned long long>(layer.parameters), bytes.matrix_type,
                static_cast<unsigned long long>(bytes.stored), layer.name);
  }
  const grurt::SkipView skip = model.skip();
  if (skip.present && skip.from_input) {
    std::printf("skip          output[j] += input[%u + j]\n", skip.first_channel);
  } else if (skip.present) {
    std::printf("skip          output[j] += layer %u output[%u + j]\n", skip.layer, skip.first_channel);
  }
  const grurt::tools::WeightBytes total = grurt::tools::weight_bytes(model);
  std::printf("parameters    %llu (%llu bytes of weights", static_cast<unsigned long long>(model.parameters()),
              static_cast<unsigned long long>(total.stored));
  if (total.stored != total.as_f32) {
    std::printf(": %llu bytes as f32, %llu saved", static_cast<unsigned long long>(total.as_f32),
                static_cast<unsigned long long>(total.as_f32 - total.stored));
  }
  std::printf(")\n");
  std::printf("state         %zu floats\n", model.state_size());
  std::printf("arena bytes   %zu\n", model.arena_bytes());
  // The integer path (grurt-convert --activations int16), when the file has a plan.
  grurt::IntegerModel integer;
  if (integer.load(loaded.bytes.data(), loaded.bytes.size(), options) == grurt::Status::kOk) {
    std::printf("integer path  input x = q * %.9g, output y = q * %.9g (q int16), state %zu int16, arena %zu bytes\n",
                integer.input_scale(), integer.output_scale(), integer.state_size(), integer.arena_bytes());
  } else if (integer.status() != grurt::Status::kMissingTensor) {
    std::printf("integer path  refused: %s\n", integer.error());
  }
  return damaged ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Prints the layers, sizes, parameters, weight bytes, arena bytes, metadata and integrity (the file's "
               "CRC-32C, stored and computed) of a .grurt model. A file whose CRC-32C does not match is shown with a "
               "warning and exit status 1.",
               "grurt-info"};
  app.set_version_flag("--version", std::string("grurt-info ") + grurt::kVersion);
  std::string model_path;
  app.add_option("model", model_path, "Model file (.grurt)")->required();
  return grurt::tools::run_tool(app, argc, argv, [&] {
    return print_info(model_path);
  });
}
