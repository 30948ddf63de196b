#include "weight_accuracy.hpp"

#include <cmath>

#include "csv_file.hpp"

namespace grurt::convert {

std::string measure_weight_accuracy(const SourceModel& source, const TensorMap& tensors,
                                    const std::vector<std::uint8_t>& model_bytes, ElementType type,
                                    bool integer_path, const ProofOptions& proof,
                                    const WeightAccuracyOptions& options, std::ostream& log) {
  CheckOptions check;
  check.tolerance = INFINITY;  // measure only: the f32 file was proven already
  check.random_steps = proof.random_steps;
  check.integer_path = integer_path;
  if (!proof.check_input.empty()) check.inputs = read_csv_file(proof.check_input, source.input_size);
  const CheckReport report = check_conversion(source, tensors, model_bytes, check);
  const std::string name = integer_path ? std::string("int16") : element_type_name(type);
  std::string label = name;
  label.resize(9, ' ');  // the log's column, as "check    " and "wrote    "
  log << label
      << (integer_path ? "integer path (i8 weights, int16 activations)" : "weights stored as " + name)
      << ": |grurt - source formulas| on the outputs, max "
      << three_digits(report.max_output_error) << ", mean " << three_digits(report.mean_output_error()) << " over " << report.steps
      << (proof.check_input.empty() ? " random steps" : " steps of --check-input")
      << ", each from the reference's state (";
  if (options.max_error) {
    log << "--max-error " << three_digits(*options.max_error) << ")\n";
  } else {
    log << "report only: --max-error E refuses more)\n";
  }
  const std::string with = "with " + name + (integer_path ? " activations" : " weights");
  if (!std::isfinite(report.max_output_error)) {
    return with + " the model's outputs are not finite (max |error| " + three_digits(report.max_output_error) +
           "); keep it in f32 (--weights f32)";
  }
  if (options.max_error && report.max_output_error > *options.max_error) {
    return with + " the outputs differ from the source formulas by up to " + three_digits(report.max_output_error) +
           ", more than --max-error " + three_digits(*options.max_error);
  }
  return "";
}

}  // namespace grurt::convert
