// Loading a model buffer in a test: what the loader said, and (when it
// loaded) its first layer's view.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "grurt/grurt.hpp"
#include "support/model_buffer.hpp"

namespace grurt::test {

struct LoadResult {
  Status status;
  std::string message;
  LayerView first_layer;  // default-constructed unless the model loaded
};

// Loads a copy of `bytes` placed `shift` bytes past a 64-byte boundary (the
// alignment test's misaligned buffer when shift > 0).
inline LoadResult load_bytes(const std::vector<std::uint8_t>& bytes, std::size_t shift = 0) {
  AlignedBytes aligned(shift + bytes.size());
  if (!bytes.empty()) std::memcpy(aligned.data() + shift, bytes.data(), bytes.size());
  Model model;
  const Status status = model.load(aligned.data() + shift, bytes.size());
  REQUIRE(model.loaded() == (status == Status::kOk));
  REQUIRE(model.status() == status);
  return {status, model.error(), status == Status::kOk ? model.layer(0) : LayerView{}};
}

}  // namespace grurt::test
