// Loading a .grurt file for the tools, with the runtime's message on failure.
#pragma once

#include <string>

#include "grurt/model.hpp"
#include "host_file.hpp"

namespace grurt::tools {

// A model and the bytes it views (kept together so they live as long).
struct LoadedModel {
  FileBytes bytes;
  Model model;
};

// Reads and loads `path`; throws std::runtime_error
// "PATH: <status name>: <runtime message>" when the file cannot be used.
void load_model_file(const std::string& path, LoadedModel& loaded);

}  // namespace grurt::tools
