#include "onnx_tensors.hpp"

#include <cstring>
#include <limits>

#include "grurt/half_float.hpp"
#include "grurt_convert/conversion_error.hpp"

namespace grurt::convert::onnx_tensors {
namespace {

// Far more elements than any recurrent model's tensor; a hostile file's dims
// must not make us allocate more.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 28;

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw ConversionError(where + ": " + why); }

std::int64_t element_count(const onnx::TensorProto& proto, const std::string& where) {
  std::int64_t count = 1;
  for (const std::int64_t dim : proto.dims()) {
    if (dim < 0) fail(where, "has a negative dimension " + std::to_string(dim));
    if (dim != 0 && count > kMaxElements / dim) fail(where, "has more than 2^28 elements");
    count *= dim;
  }
  return count;
}

// raw_data holds little-endian elements; the typed fields the same values one by one.
void check_raw(const onnx::TensorProto& proto, std::int64_t count, std::size_t element, const std::string& where) {
  if (proto.raw_data().size() != static_cast<std::size_t>(count) * element) {
    fail(where, "raw_data has " + std::to_string(proto.raw_data().size()) + " bytes, expected " +
                    std::to_string(count) + " elements of " + std::to_string(element) + " bytes");
  }
}

template <typename Field>
void check_count(const Field& field, std::int64_t count, const char* name, const std::string& where) {
  if (static_cast<std::int64_t>(field.size()) != count) {
    fail(where, std::string(name) + " holds " + std::to_string(field.size()) + " values, expected " +
                    std::to_string(count));
  }
}

template <typename T>
T read_le(const std::string& raw, std::size_t index) {
  T value;
  std::memcpy(&value, raw.data() + index * sizeof(T), sizeof(T));  // x86/ARM hosts are little-endian
  return value;
}

}  // namespace

bool Constant::all_zero() const {
  for (const float v : tensor.values) {
    if (v != 0.0f) return false;
  }
  for (const std::int64_t v : ints) {
    if (v != 0) return false;
  }
  return true;
}

Constant decode(const onnx::TensorProto& proto, const std::string& where) {
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string file = "(no location given)";
    for (const auto& entry : proto.external_data()) {
      if (entry.key() == "location") file = "'" + entry.value() + "'";
    }
    fail(where, "its data is in the external file " + file +
                    ", which grurt-convert does not read; save the model with its weights inside "
                    "(onnx.save_model(model, path, save_as_external_data=False))");
  }
  if (proto.has_segment()) fail(where, "is a segmented tensor, which grurt-convert does not read");
  Constant c;
  c.tensor.shape.assign(proto.dims().begin(), proto.dims().end());
  const std::int64_t count = element_count(proto, where);
  const bool raw = proto.has_raw_data();
  const auto n = static_cast<std::size_t>(count);
  switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT:
      c.tensor.dtype = "F32";
      if (raw) check_raw(proto, count, 4, where); else check_count(proto.float_data(), count, "float_data", where);
      c.tensor.values.resize(n);
      for (std::size_t i = 0; i < n; ++i) c.tensor.values[i] = raw ? read_le<float>(proto.raw_data(), i) : proto.float_data(i);
      break;
    case onnx::TensorProto::DOUBLE:
      c.tensor.dtype = "F64";
      if (raw) check_raw(proto, count, 8, where); else check_count(proto.double_data(), count, "double_data", where);
      c.tensor.values.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        c.tensor.values[i] = static_cast<float>(raw ? read_le<double>(proto.raw_data(), i) : proto.double_data(i));
      }
      break;
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16: {
      const bool half = proto.data_type() == onnx::TensorProto::FLOAT16;
      c.tensor.dtype = half ? "F16" : "BF16";
      if (raw) check_raw(proto, count, 2, where); else check_count(proto.int32_data(), count, "int32_data", where);
      c.tensor.values.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto bits = static_cast<std::uint16_t>(raw ? read_le<std::uint16_t>(proto.raw_data(), i) : proto.int32_data(i));
        c.tensor.values[i] = half ? half_to_float(bits) : bfloat16_to_float(bits);
      }
      break;
    }
    case onnx::TensorProto::INT64:
      c.tensor.dtype = "I64";
      c.tensor.is_float = false;
      if (raw) check_raw(proto, count, 8, where); else check_count(proto.int64_data(), count, "int64_data", where);
      c.ints.resize(n);
      for (std::size_t i = 0; i < n; ++i) c.ints[i] = raw ? read_le<std::int64_t>(proto.raw_data(), i) : proto.int64_data(i);
      break;
    case onnx::TensorProto::INT32:
      c.tensor.dtype = "I32";
      c.tensor.is_float = false;
      if (raw) check_raw(proto, count, 4, where); else check_count(proto.int32_data(), count, "int32_data", where);
      c.ints.resize(n);
      for (std::size_t i = 0; i < n; ++i) c.ints[i] = raw ? read_le<std::int32_t>(proto.raw_data(), i) : proto.int32_data(i);
      break;
    default:
      fail(where, "has element type " + std::to_string(proto.data_type()) +
                      " (TensorProto.DataType); grurt-convert reads float, double, float16, bfloat16, int32 and int64");
  }
  return c;
}

}  // namespace grurt::convert::onnx_tensors
