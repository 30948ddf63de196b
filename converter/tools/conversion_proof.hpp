// What grurt-convert does between writing a model in memory and writing the
// file: the conversion check against the source formulas, then, when the user
// gave their own outputs, --expect. Each adds its line to the report.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::convert {

struct ProofOptions {
  double tolerance = kDefaultCheckTolerance;  // --check-tolerance, for both
  std::uint32_t random_steps = 64;            // --check-steps
  std::string check_input;                    // --check-input IN.csv, or ""
  std::vector<std::string> expect;            // --expect IN.csv OUT.csv, or empty
};

// 3 significant digits, as "4.52e-07", for report lines.
std::string three_digits(double value);

// Appends the report lines to `log`. Returns "" when the model is proven,
// else why it is refused (the caller writes nothing). Throws ConversionError
// for unreadable CSV files or a model that does not load.
std::string prove_conversion(const SourceModel& source, const TensorMap& tensors,
                             const std::vector<std::uint8_t>& model_bytes, std::uint32_t output_size,
                             const ProofOptions& options, std::ostream& log);

}  // namespace grurt::convert
