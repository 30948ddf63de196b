#include "buffer_check.hpp"

#include <cstdint>

#include "alignment.hpp"
#include "grurt/crc32c.hpp"

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

// The file's CRC-32C by its rule (schema/grurt.fbs, Model.crc32c): every byte
// of the buffer, the 4 bytes of the field's value read as zero. Only called on
// a verified buffer: the field is found through the root table's vtable.
Status check_checksum(const std::uint8_t* bytes, std::size_t size, const fb::Model* root,
                      const LoadOptions& options, Integrity* integrity, ErrorText& error) {
  const flatbuffers::Optional<std::uint32_t> stored = root->crc32c();
  if (!stored) {
    if (!options.require_checksum) return Status::kOk;
    return error.fail(Status::kCorruptFile)
           << "the file has no CRC-32C (written by grurt-convert 0.1.0, or the field was damaged) and the "
              "loader requires one";
  }
  integrity->present = true;
  integrity->stored = *stored;
  if (!options.verify_checksum) return Status::kOk;
  // Generated tables derive privately from flatbuffers::Table, which finds a field's bytes.
  const auto* field = reinterpret_cast<const flatbuffers::Table*>(root)->GetAddressOf(fb::Model::VT_CRC32C);
  const auto at = static_cast<std::size_t>(field - bytes);  // inside the buffer: the verifier checked it
  constexpr std::uint8_t kZero[sizeof(std::uint32_t)] = {};
  std::uint32_t crc = crc32c(bytes, at);
  crc = crc32c(kZero, sizeof kZero, crc);
  crc = crc32c(field + sizeof kZero, size - at - sizeof kZero, crc);
  integrity->checked = true;
  integrity->computed = crc;
  if (crc == *stored) return Status::kOk;
  return error.fail(Status::kCorruptFile)
         << "CRC-32C mismatch: the file stores " << Hex32{*stored} << ", its " << static_cast<std::uint64_t>(size)
         << " bytes give " << Hex32{crc} << ": it was damaged or changed after it was written";
}

}  // namespace

// The structure is verified before the checksum: the checksum's bytes are
// found through offsets only the verifier makes safe to follow. The checksum
// comes before the format version, so a damaged version field reads as damage.
Status check_buffer(const void* data, std::size_t size, const LoadOptions& options, const fb::Model** root,
                    Integrity* integrity, ErrorText& error) noexcept {
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
  const Status checksum = check_checksum(bytes, size, *root, options, integrity, error);
  if (checksum != Status::kOk) return checksum;
  if ((*root)->format_version() == 0 || (*root)->format_version() > kFormatVersion) {
    return error.fail(Status::kUnsupportedVersion)
           << "format version " << (*root)->format_version() << "; this runtime reads 1.." << kFormatVersion;
  }
  return Status::kOk;
}

}  // namespace detail
}  // namespace grurt
