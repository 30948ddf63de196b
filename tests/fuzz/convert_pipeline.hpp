// What grurt-convert does after reading a weights file, for the fuzz targets:
// every stage must either succeed or throw ConversionError.
#pragma once

#include "grurt_convert/source_model.hpp"
#include "grurt_convert/tensor_map.hpp"

namespace grurt::fuzz {

// Canonical model, writer (both stored layouts), conversion check and a load
// by the runtime. A model that passes the check but does not load aborts.
void convert_source(const convert::SourceModel& source, const convert::TensorMap& tensors);

// Recognises the layout with default options, then convert_source().
void convert_all(const convert::TensorMap& tensors);

}  // namespace grurt::fuzz
