// The checks every reader of a .grurt buffer makes before looking inside it
// (Model::load and IntegerModel::load): pointer, size, identifier, 64-byte
// alignment, the FlatBuffers verifier, the file's CRC-32C and the format version.
#pragma once

#include <cstddef>

#include "grurt/error_text.hpp"
#include "grurt/grurt_generated.h"
#include "grurt/load_options.hpp"

namespace grurt {
namespace detail {

// kOk with *root set, or the status with `error` saying what was wrong.
// *integrity says what the checksum check found (also when it refused).
Status check_buffer(const void* data, std::size_t size, const LoadOptions& options, const fb::Model** root,
                    Integrity* integrity, ErrorText& error) noexcept;

}  // namespace detail
}  // namespace grurt
