#include "conversion_report.hpp"

#include <sstream>

namespace grurt::convert {

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
    out << "skip     output[j] += input[j + " << first << "], j = 0.." << outputs - 1
        << " (stated by --skip input: a state_dict does not record a skip)\n";
  }
  return out.str();
}

}  // namespace grurt::convert
