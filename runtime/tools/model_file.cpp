#include "model_file.hpp"

#include <stdexcept>

namespace grurt::tools {

void load_model_file(const std::string& path, LoadedModel& loaded) {
  loaded.bytes = FileBytes::read(path);
  const Status status = loaded.model.load(loaded.bytes.data(), loaded.bytes.size());
  if (status != Status::kOk) {
    throw std::runtime_error(path + ": " + status_name(status) + ": " + loaded.model.error());
  }
}

}  // namespace grurt::tools
