// ONNX models (.onnx): the graph declares the architecture, so the reader
// walks it and produces the declared model itself (no layout recognition),
// with the tensors its layers read. Parsing uses the ONNX project's own
// generated protobuf classes (Debian libonnx-dev).
#pragma once

#include <cstddef>
#include <cstdint>

#include "grurt_convert/source_file.hpp"

namespace grurt::convert {

// True when the bytes parse as an ONNX ModelProto that holds a graph with
// nodes: how the front door tells an ONNX file from other formats.
bool looks_like_onnx(const std::uint8_t* bytes, std::size_t size);

// The declared model and the tensors it reads. Throws ConversionError, naming
// the node and saying why, for anything grurt cannot stream exactly.
SourceFile read_onnx(const std::uint8_t* bytes, std::size_t size);

}  // namespace grurt::convert
