#include "buffer_check.hpp"

#include <cstdint>

#include "alignment.hpp"

namespace grurt {
namespace detail {
namespace {

// Copies the 4 identifier bytes into printable text for a message.
void printable_identifier(const std::uint8_t* bytes, char out[5]) {
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>(bytes[i]);
    out[i] = (c >= 32 && c < 127) ? c : '?';
  }
  out[4] = '\0';
}

}  // namespace

Status check_buffer(const void* data, std::size_t size, const fb::Model** root, ErrorText& error) noexcept {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  if (bytes == nullptr) return error.fail(Status::kNullArgument) << "model buffer pointer is null";
  if (size == 0) return error.fail(Status::kEmptyBuffer) << "model buffer is empty (0 bytes)";
  // Root offset (4 bytes) + identifier (4 bytes) is the least any .grurt has.
  constexpr std::size_t kHeaderBytes = 8;
  if (size < kHeaderBytes) {
    return error.fail(Status::kTruncated)
           << "model buffer has " << static_cast<std::uint64_t>(size) << " bytes; a .grurt file has at least "
           << static_cast<std::uint64_t>(kHeaderBytes) << " (root offset and identifier 'GRUT')";
  }
  if (!fb::ModelBufferHasIdentifier(bytes)) {
    char found[5];
    printable_identifier(bytes + 4, found);
    return error.fail(Status::kBadIdentifier)
           << "file identifier is '" << found << "' at byte 4, expected 'GRUT': not a .grurt model file";
  }
  if (misalignment(bytes) != 0) {
    return not_aligned(error.fail(Status::kMisalignedBuffer) << "model buffer address ", bytes)
           << "; load from an alignas(64) array or a mapped file";
  }
  // The verifier asserts (aborts in debug builds) on buffers of 2 GiB or more.
  if (size >= FLATBUFFERS_MAX_BUFFER_SIZE) {
    return error.fail(Status::kInvalidModel)
           << "model buffer has " << static_cast<std::uint64_t>(size) << " bytes; the format's limit is "
           << static_cast<std::uint64_t>(FLATBUFFERS_MAX_BUFFER_SIZE - 1);
  }
  flatbuffers::Verifier verifier(bytes, size);
  if (!fb::VerifyModelBuffer(verifier)) {
    return error.fail(Status::kCorruptFile)
           << "FlatBuffers verification failed for the " << static_cast<std::uint64_t>(size)
           << "-byte buffer: the file is truncated or corrupted (an offset or length points outside it)";
  }
  *root = fb::GetModel(bytes);
  if ((*root)->format_version() == 0 || (*root)->format_version() > kFormatVersion) {
    return error.fail(Status::kUnsupportedVersion)
           << "format version " << (*root)->format_version() << "; this runtime reads 1.." << kFormatVersion;
  }
  return Status::kOk;
}

}  // namespace detail
}  // namespace grurt
