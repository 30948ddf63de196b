// What grurt-convert prints about a conversion: layers, sizes and which
// source tensor slices became which canonical gate.
#pragma once

#include <string>

#include "grurt_convert/source_model.hpp"

namespace grurt::convert {

std::string describe_source(const SourceModel& model);

}  // namespace grurt::convert
