#include "expected_outputs.hpp"

#include <cmath>

#include "aligned_bytes.hpp"
#include "grurt/owned_session.hpp"
#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert {

ExpectReport compare_with_expected(const std::vector<std::uint8_t>& model_bytes,
                                   const std::vector<std::vector<float>>& inputs,
                                   const std::vector<std::vector<float>>& expected, double tolerance) {
  if (inputs.size() != expected.size()) {
    throw ConversionError("--expect: the inputs have " + std::to_string(inputs.size()) + " rows, the outputs " +
                          std::to_string(expected.size()) + "; they must be the same time steps");
  }
  const tools::AlignedBytes buffer(model_bytes);
  Model model;
  if (model.load(buffer.data(), buffer.size()) != Status::kOk) {
    throw ConversionError(std::string("the written model does not load: ") + model.error());
  }
  OwnedSession session;
  if (session.init(model) != Status::kOk) throw ConversionError(std::string("session: ") + session.error());
  std::vector<float> output(model.output_size());
  ExpectReport report;
  for (; report.steps < inputs.size() && !report.mismatch; ++report.steps) {
    // Free running from zero, as the model will run in the user's hands: the
    // user's outputs come from float32 too, so no teacher forcing is needed
    // (or possible: the user's state is not in the file).
    session.step(inputs[report.steps].data(), output.data());
    const std::vector<float>& want = expected[report.steps];
    for (std::size_t i = 0; i < output.size() && !report.mismatch; ++i) {
      const double scale = std::fmax(1.0, std::fabs(want[i]));
      double d = std::fabs(static_cast<double>(output[i]) - want[i]) / scale;
      if (std::isnan(d)) d = INFINITY;
      report.max_difference = std::fmax(report.max_difference, d);
      if (!(d <= tolerance)) report.mismatch = CheckMismatch{report.steps, "output", i, want[i], output[i], scale};
    }
  }
  return report;
}

}  // namespace grurt::convert
