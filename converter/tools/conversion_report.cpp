#include "conversion_report.hpp"

#include <sstream>

namespace grurt::convert {
namespace {

std::string range(std::int64_t first, std::int64_t size) {
  return std::to_string(first) + ".." + std::to_string(first + size - 1);
}

// Where a layer's h or c sits in the session state: recurrent layers in
// order, each h then c (Session::read_state).
std::string session_range(const SourceModel& model, const StatePart& part) {
  std::int64_t first = 0;
  for (std::size_t i = 0; i < part.layer; ++i) first += state_width(model.layers[i]);
  const std::vector<std::uint32_t> parts = state_parts(model.layers[part.layer]);
  for (int v = 0; v < part.vector; ++v) first += parts[static_cast<std::size_t>(v)];
  return range(first, parts[static_cast<std::size_t>(part.vector)]);
}

std::string describe_state_tensor(const SourceModel& model, const StateTensor& tensor) {
  std::string shape;
  for (const std::int64_t d : tensor.dims) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
  std::string text = tensor.input.empty() ? "output '" + tensor.output + "' [" + shape + "] (read-out)"
                                          : "input '" + tensor.input + "' [" + shape + "]" +
                                                (tensor.output.empty() ? " (no output hands it back)"
                                                                       : ", handed back as output '" + tensor.output + "'");
  for (const StateRun& run : tensor.runs) {
    const std::vector<std::uint32_t> parts = state_parts(model.layers[run.part.layer]);
    const std::int64_t size = parts[static_cast<std::size_t>(run.part.vector)];
    text += "\n           layer " + std::to_string(run.part.layer) + " '" + model.layers[run.part.layer].name + "' " +
            (run.part.vector ? "c" : "h") + " at elements ";
    if (!run.regular) text += "scattered from " + std::to_string(run.first);
    else if (run.stride == 1) text += range(run.first, size);
    else text += std::to_string(run.first) + ", " + std::to_string(run.first + run.stride) + ", .. " +
                 std::to_string(run.first + (size - 1) * run.stride);
    text += " = session state " + session_range(model, run.part);
  }
  return text;
}

}  // namespace

std::string describe_source(const SourceModel& model) {
  std::ostringstream out;
  out << "layout   " << model.layout;
  if (!model.prefix.empty()) out << " under prefix '" << model.prefix << "'";
  if (model.head) out << ", Linear head '" << *model.head << "'";
  out << "\n";
  for (const std::string& assumption : model.assumptions) out << "assumed  " << assumption << "\n";
  for (std::size_t i = 0; i < model.layers.size(); ++i) out << "layer " << i << "  " << describe(model.layers[i]);
  if (model.skip && model.skip->from_input && !model.layers.empty()) {
    const std::uint32_t first = model.skip->first_channel, outputs = output_width(model.layers.back());
    out << "skip     output[j] += input[j + " << first << "], j = 0.." << outputs - 1 << " (" << model.skip_origin
        << ")\n";
  }
  for (const StateTensor& tensor : model.state_tensors) out << "state    " << describe_state_tensor(model, tensor) << "\n";
  if (!model.state_tensors.empty()) {
    out << "state    grurt keeps this state in the session: it starts from zeros (or the stored initial state) and\n"
           "           is carried from step to step, so the caller feeds nothing back; read_state/write_state give\n"
           "           and take it in session order\n";
  }
  return out.str();
}

}  // namespace grurt::convert
