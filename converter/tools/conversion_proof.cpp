#include "conversion_proof.hpp"

#include <cstdio>

#include "csv_file.hpp"
#include "expected_outputs.hpp"

namespace grurt::convert {

std::string three_digits(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

std::string prove_conversion(const SourceModel& source, const TensorMap& tensors,
                             const std::vector<std::uint8_t>& model_bytes, std::uint32_t output_size,
                             const ProofOptions& options, std::ostream& log) {
  CheckOptions check_options;
  check_options.tolerance = options.tolerance;
  check_options.random_steps = options.random_steps;
  if (!options.check_input.empty()) check_options.inputs = read_csv_file(options.check_input, source.input_size);
  const CheckReport check = check_conversion(source, tensors, model_bytes, check_options);
  log << "check    max |grurt - source formulas| / scale = " << three_digits(check.max_difference) << " over " << check.steps
      << (options.check_input.empty() ? " random steps" : " steps of --check-input")
      << ", each from the reference's state (tolerance " << three_digits(options.tolerance) << ")\n";
  if (check.mismatch) {
    return "conversion check failed: the converted model differs from the source formulas at " +
           describe_mismatch(*check.mismatch, options.tolerance) +
           ". The conversion is wrong (please report it with the file's tensor names); --check-tolerance relaxes "
           "the check";
  }
  // A state_dict holds parameters only: say so in every report, and how to check the rest.
  // An ONNX graph or an RTNeural/AIDA-X file records its layers; the reader
  // mapped them (the check proves that mapping's layers).
  if (source.layout == "onnx") {
    log << "note     the layers were read from the ONNX graph's nodes: the check proves them, ";
  } else if (source.layout == "rtneural" || source.layout == "aida-x") {
    log << "note     the layers were read from the file's layer list: the check proves them, ";
  } else if (source.layout == "keras") {
    log << "note     the layers were read from the file's Keras model config: the check proves them, ";
  } else {
    log << "note     a state_dict does not record activations, skip connections or the order of calls: the check "
           "proves the layers listed above, ";
  }
  log
      << (options.expect.empty() ? "--expect IN.csv OUT.csv (your framework's outputs) proves the whole model\n"
                                 : "--expect compares the whole model with your outputs\n");
  if (options.expect.empty()) return "";

  const auto inputs = read_csv_file(options.expect[0], source.input_size);
  const auto outputs = read_csv_file(options.expect[1], output_size);
  const ExpectReport expect = compare_with_expected(model_bytes, inputs, outputs, options.tolerance);
  if (expect.mismatch) {
    return "--expect: the converted model does not reproduce " + options.expect[1] + " at " +
           describe_mismatch(*expect.mismatch, options.tolerance) +
           ". The weights convert as the layers above say, so the model differs elsewhere: an activation, skip or "
           "call order the state_dict does not record (--activation-before-head, --activation-after-head), or a "
           "mapping file's slices";
  }
  log << "expect   max |grurt - " << options.expect[1] << "| / max(1, |value|) = " << three_digits(expect.max_difference) << " over "
      << expect.steps << " steps from the model's start state (tolerance " << three_digits(options.tolerance) << ")\n";
  return "";
}

}  // namespace grurt::convert
