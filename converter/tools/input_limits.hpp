// How large grurt-convert's input files may be: a larger file is refused by
// name before it is read (grurt::tools::read_file), never half-read.
#pragma once

#include "host_file.hpp"
#include "model_file.hpp"

namespace grurt::convert {

// Every weight becomes an f32 in one .grurt file, so a weights file (f32 or
// wider) larger than a model may be cannot convert; the same number, stated.
constexpr tools::FileLimit kWeightsFileLimit{tools::kModelFileLimit.max_bytes, "a weights file",
                                             "its tensors must fit one .grurt model, FlatBuffers' limit"};

// A mapping file names tensor slices, a few hundred bytes per layer; 64 MiB is
// far beyond any real one and keeps a wrong file (a checkpoint) out of the JSON parser.
constexpr tools::FileLimit kMappingFileLimit{64u << 20, "a mapping file", "JSON naming tensor slices, 64 MiB"};

}  // namespace grurt::convert
