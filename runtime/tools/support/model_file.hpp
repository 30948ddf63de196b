// Loading a .grurt file for the tools, with the runtime's message on failure.
#pragma once

#include <string>

#include "aligned_bytes.hpp"
#include "grurt/model.hpp"
#include "host_file.hpp"

namespace grurt::tools {

// A .grurt file is one FlatBuffer: its verifier, and so Model::load, takes
// fewer than FLATBUFFERS_MAX_BUFFER_SIZE (2 GiB - 1) bytes; the same number as
// runtime/src/model.cpp's message (checked in model_file.cpp).
constexpr FileLimit kModelFileLimit{0x7FFFFFFEu, "a .grurt model", "FlatBuffers' limit, just under 2 GiB"};

// A model and the bytes it views (kept together so they live as long).
struct LoadedModel {
  AlignedBytes bytes;
  Model model;
};

// Reads and loads `path` (its CRC-32C checked, unless `options` say otherwise);
// throws std::runtime_error with read_file's message when the file cannot be
// read, or "PATH: <status name>: <runtime message>" when it is not a model the
// runtime accepts (loaded.model.integrity() then says what the check found).
void load_model_file(const std::string& path, LoadedModel& loaded, const LoadOptions& options = LoadOptions{});

}  // namespace grurt::tools
