#include "convert_pipeline.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "aligned_bytes.hpp"
#include "grurt/grurt.hpp"
#include "grurt_convert/canonical_model.hpp"
#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/model_writer.hpp"

namespace grurt::fuzz {

namespace {

// Few steps: the check's cost grows with them and one step already runs every layer.
constexpr std::uint32_t kCheckSteps = 2;

bool loads(const std::vector<std::uint8_t>& bytes) {
  const grurt::tools::AlignedBytes aligned(bytes);
  grurt::Model model;
  return model.load(aligned.data(), aligned.size()) == grurt::Status::kOk;
}

}  // namespace

void convert_source(const convert::SourceModel& source, const convert::TensorMap& tensors) {
  const convert::CanonicalModel model = convert::canonicalize(source, tensors);
  const std::vector<std::uint8_t> bytes = convert::write_model(model);
  const convert::CheckReport check = convert::check_conversion(source, tensors, bytes, kCheckSteps);
  if (!check.passed()) return;  // grurt-convert refuses it
  if (!loads(bytes)) std::abort();
}

void convert_all(const convert::TensorMap& tensors) {
  convert_source(convert::recognize_layout(tensors, convert::RecognitionOptions{}), tensors);
}

}  // namespace grurt::fuzz
