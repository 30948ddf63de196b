// Consistency of a CanonicalModel before it is written.
#include <cmath>
#include <sstream>
#include <vector>

#include "canonical_layers/canonical_layers.hpp"
#include "grurt_convert/half_precision.hpp"
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
  // A weight stored as f16 must round to a finite half (the loader refuses infinity).
  void check_half_range(int index, const char* kind, const canonical_layers::Array& array) {
    const std::vector<float>& values = *array.values;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!(std::fabs(values[i]) >= kHalfRoundsToInfinity)) continue;
      at(index, kind) << array.name << " row " << i / array.cols << " column " << i % array.cols << " is "
                      << values[i] << ": outside f16's range (|w| < " << kHalfRoundsToInfinity
                      << " rounds to a finite half); keep this model in f32 (--weights f32)\n";
      return;
    }
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

// The loader's skip checks (runtime/src/model.cpp), said before writing.
void check_skip(const CanonicalModel& model, Problems& problems) {
  if (!model.skip || model.layers.empty()) return;
  const SkipSpec& skip = *model.skip;
  std::uint32_t width = model.input_size;
  if (!skip.from_input) {
    if (skip.layer + std::size_t{1} >= model.layers.size()) {
      problems.at(-1, "") << "skip reads layer " << skip.layer << ", which is not an earlier layer than the last ("
                          << model.layers.size() - 1 << ")\n";
      return;
    }
    width = std::visit([](const auto& kind) { return canonical_layers::shape(kind).output; },
                       model.layers[skip.layer].layer);
  }
  if (std::uint64_t{skip.first_channel} + model.output_size() > width) {
    problems.at(-1, "") << "skip adds " << model.output_size() << " channels from channel " << skip.first_channel
                        << " of a source " << width << " wide\n";
  }
}

}  // namespace

std::string find_inconsistencies(const CanonicalModel& model) {
  Problems problems;
  if (model.input_size == 0) problems.at(-1, "") << "input size is 0\n";
  if (model.layers.empty()) problems.at(-1, "") << "no layers\n";
  std::uint32_t width = model.input_size;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const int index = static_cast<int>(i);
    const auto& layer = model.layers[i].layer;
    const canonical_layers::Shape shape =
        std::visit([](const auto& kind) { return canonical_layers::shape(kind); }, layer);
    const char* kind = shape.kind;
    const std::uint32_t input = shape.input;
    const std::uint32_t output = shape.output;
    for (const canonical_layers::Array& array : shape.arrays) {
      problems.check_length(index, kind, array.name, array.values->size(), array.rows * array.cols, array.formula,
                            array.optional);
      problems.check_finite(index, kind, array.name, *array.values);
      if (array.matrix && model.weight_type == ElementType::kF16 && array.cols != 0) {
        problems.check_half_range(index, kind, array);
      }
    }
    if (!shape.problem.empty()) problems.at(index, kind) << shape.problem << "\n";
    if (input == 0 || output == 0) problems.at(index, kind) << "a size is 0\n";
    if (input != width) problems.at(index, kind) << "input size " << input << ", but the previous output is " << width << "\n";
    width = output;
  }
  check_skip(model, problems);
  if (model.weight_type != ElementType::kF32 && model.weight_type != ElementType::kF16 &&
      model.weight_type != ElementType::kI8) {
    problems.at(-1, "") << "weight type " << static_cast<int>(model.weight_type)
                        << " cannot be written; f32 (0), f16 (1) and i8 (2) can\n";
  }
  return problems.text();
}

}  // namespace grurt::convert
