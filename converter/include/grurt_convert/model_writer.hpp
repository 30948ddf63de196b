// Writes a CanonicalModel as a .grurt FlatBuffers buffer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "grurt_convert/canonical_model.hpp"

namespace grurt::convert {

// Every inconsistency in `model` (sizes that disagree, arrays of the wrong
// length), one per line; empty when the model is consistent.
std::string find_inconsistencies(const CanonicalModel& model);

// Serialises `model` as it is, without checking it: each tensor's rows, cols
// and data come from the spec, so tests can also write deliberately broken
// files. Weights are packed in the Panel16 layout the kernels stream, int8
// matrices quantized and packed in Panel16x4 (an array whose length disagrees
// with its shape is stored unpacked, as is, for the loader to refuse). Weight
// arrays start 64-byte aligned inside the buffer.
std::vector<std::uint8_t> serialize_model(const CanonicalModel& model);

// find_inconsistencies() then serialize_model(); throws std::invalid_argument
// with the inconsistencies when there are any.
std::vector<std::uint8_t> write_model(const CanonicalModel& model);

// Panel16 packing of a row-major [rows][cols] matrix whose rows form `blocks`
// equal blocks (see schema/grurt.fbs); a vector is cols = 1.
std::vector<float> pack_panel16(const std::vector<float>& row_major, std::uint32_t rows, std::uint32_t cols,
                                std::uint32_t blocks);

}  // namespace grurt::convert
