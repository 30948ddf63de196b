#include "grurt_convert/conversion_check.hpp"

#include <cmath>
#include <random>

#include "aligned_bytes.hpp"
#include "grurt/owned_session.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/source_reference.hpp"

namespace grurt::convert {

CheckReport check_conversion(const SourceModel& source, const TensorMap& tensors,
                             const std::vector<std::uint8_t>& model_bytes, std::uint32_t steps) {
  const tools::AlignedBytes buffer(model_bytes);
  Model model;
  if (model.load(buffer.data(), buffer.size()) != Status::kOk) {
    throw ConversionError(std::string("the written model does not load: ") + model.error());
  }
  OwnedSession session;
  if (session.init(model) != Status::kOk) throw ConversionError(std::string("session: ") + session.error());

  const auto reference = make_source_reference(source, tensors);
  std::mt19937 rng(20261121);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> input(model.input_size()), output(model.output_size());
  CheckReport report;
  for (report.steps = 0; report.steps < steps; ++report.steps) {
    for (float& v : input) v = normal(rng);
    session.step(input.data(), output.data());
    const std::vector<double> expected = reference->step({input.begin(), input.end()});
    for (std::size_t i = 0; i < output.size(); ++i) {
      const double d = std::fabs(static_cast<double>(output[i]) - expected[i]);
      report.max_difference = std::isnan(d) ? INFINITY : std::fmax(report.max_difference, d);
    }
  }
  return report;
}

}  // namespace grurt::convert
