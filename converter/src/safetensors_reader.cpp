#include "grurt_convert/safetensors_reader.hpp"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert {
namespace {

[[noreturn]] void fail(const std::string& what) { throw ConversionError("safetensors: " + what); }

std::size_t integer_dtype_size(const std::string& dtype) {
  if (dtype == "I64" || dtype == "U64") return 8;
  if (dtype == "I32" || dtype == "U32") return 4;
  if (dtype == "I16" || dtype == "U16") return 2;
  if (dtype == "I8" || dtype == "U8" || dtype == "BOOL") return 1;
  return 0;
}

}  // namespace

TensorMap read_safetensors(const std::uint8_t* bytes, std::size_t size) {
  if (size < 8) fail("file has " + std::to_string(size) + " bytes; the 8-byte header length is missing");
  std::uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | bytes[i];
  if (header_size > kMaxSafetensorsHeader) {
    fail("header length " + std::to_string(header_size) + " exceeds the limit of " +
         std::to_string(kMaxSafetensorsHeader) + " bytes");
  }
  if (header_size > size - 8) {
    fail("header length " + std::to_string(header_size) + " but only " + std::to_string(size - 8) +
         " bytes follow (truncated file?)");
  }
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes + 8, bytes + 8 + header_size);
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("header is not valid JSON: ") + e.what());
  }
  if (!header.is_object()) fail("header is not a JSON object");
  const std::size_t listed = header.size() - (header.contains("__metadata__") ? 1 : 0);
  if (listed > kMaxTensors) {
    fail("header lists " + std::to_string(listed) + " tensors; the limit is " + std::to_string(kMaxTensors));
  }
  const std::uint8_t* data = bytes + 8 + header_size;
  const std::uint64_t data_size = size - 8 - header_size;

  TensorMap tensors;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") continue;
    const std::string where = "tensor '" + name + "': ";
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets") ||
        !entry["dtype"].is_string() || !entry["shape"].is_array() || !entry["data_offsets"].is_array() ||
        entry["data_offsets"].size() != 2) {
      fail(where + "needs \"dtype\" (string), \"shape\" (array) and \"data_offsets\" ([begin, end])");
    }
    SourceTensor tensor;
    tensor.dtype = entry["dtype"].get<std::string>();
    std::uint64_t numel = 1;
    for (const auto& dim : entry["shape"]) {
      if (!dim.is_number_unsigned() || dim.get<std::uint64_t>() > (1ull << 32)) {
        fail(where + "shape " + entry["shape"].dump() + " has a dimension that is not a size");
      }
      tensor.shape.push_back(dim.get<std::int64_t>());
      numel *= dim.get<std::uint64_t>();
      if (numel > data_size) fail(where + "shape " + entry["shape"].dump() + " is larger than the file's data");
    }
    const auto& offsets = entry["data_offsets"];
    if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned()) {
      fail(where + "data_offsets " + offsets.dump() + " are not byte offsets");
    }
    const std::uint64_t begin = offsets[0].get<std::uint64_t>();
    const std::uint64_t end = offsets[1].get<std::uint64_t>();
    if (begin > end || end > data_size) {
      fail(where + "data_offsets " + offsets.dump() + " lie outside the " + std::to_string(data_size) +
           "-byte data section");
    }
    const std::size_t element = float_dtype_size(tensor.dtype);
    const std::size_t other = integer_dtype_size(tensor.dtype);
    if (element == 0 && other == 0) fail(where + "dtype '" + tensor.dtype + "' is not supported");
    const std::uint64_t expected = numel * (element ? element : other);
    if (end - begin != expected) {
      fail(where + "holds " + std::to_string(end - begin) + " bytes, but " + tensor.dtype + " " +
           entry["shape"].dump() + " needs " + std::to_string(expected));
    }
    ranges.emplace_back(begin, end);
    tensor.is_float = element != 0;
    if (tensor.is_float) {
      tensor.values.resize(numel);
      decode_floats(tensor.dtype, data + begin, numel, tensor.values.data());
    }
    tensors.emplace(name, std::move(tensor));
  }
  std::sort(ranges.begin(), ranges.end());
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first < ranges[i - 1].second) fail("two tensors' data_offsets overlap");
  }
  return tensors;
}

}  // namespace grurt::convert
