#include "model_file.hpp"

#include <flatbuffers/base.h>

#include <stdexcept>

namespace grurt::tools {

static_assert(kModelFileLimit.max_bytes == FLATBUFFERS_MAX_BUFFER_SIZE - 1,
              "the tools' limit for a .grurt file is the one Model::load enforces");

void load_model_file(const std::string& path, LoadedModel& loaded, const LoadOptions& options) {
  loaded.bytes = read_file(path, kModelFileLimit);
  const Status status = loaded.model.load(loaded.bytes.data(), loaded.bytes.size(), options);
  if (status != Status::kOk) {
    throw std::runtime_error(path + ": " + status_name(status) + ": " + loaded.model.error());
  }
}

}  // namespace grurt::tools
