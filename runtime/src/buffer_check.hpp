// The checks every reader of a .grurt buffer makes before looking inside it
// (Model::load and IntegerModel::load): pointer, size, identifier, 64-byte
// alignment, the FlatBuffers verifier and the format version.
#pragma once

#include <cstddef>

#include "grurt/error_text.hpp"
#include "grurt/grurt_generated.h"

namespace grurt {
namespace detail {

// kOk with *root set, or the status with `error` saying what was wrong.
Status check_buffer(const void* data, std::size_t size, const fb::Model** root, ErrorText& error) noexcept;

}  // namespace detail
}  // namespace grurt
