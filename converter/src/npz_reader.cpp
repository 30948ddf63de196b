#include "grurt_convert/npz_reader.hpp"

#include <cstring>
#include <set>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/torch_zip_reader.hpp"
#include "zip_archive.hpp"

namespace grurt::convert {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

// The .npy header: a Python dict literal of strings, booleans and int tuples.
// Parsed, never evaluated.
struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
};

class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& where) : text_(text), where_(where) {}

  NpyHeader parse() {
    NpyHeader header;
    bool has_descr = false, has_order = false, has_shape = false;
    expect('{', "the header to be a dict literal ({'descr': ..., 'fortran_order': ..., 'shape': ...})");
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = string_literal("a dict key (a quoted string)");
      expect(':', "':' after key '" + key + "'");
      skip_space();
      if (key == "descr") {
        if (peek() == '[') fail("'descr' is a structured dtype (a list of fields); only plain arrays are read");
        header.descr = string_literal("'descr' as a dtype string such as '<f4'");
        has_descr = true;
      } else if (key == "fortran_order") {
        header.fortran_order = boolean();
        has_order = true;
      } else if (key == "shape") {
        header.shape = int_tuple();
        has_shape = true;
      } else {
        fail("the header has an unknown key '" + key + "'");
      }
      skip_space();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() != '}') fail("expected ',' or '}' in the header dict at byte " + std::to_string(at_));
    }
    ++at_;
    skip_space();
    if (at_ != text_.size()) fail("the header has text after its dict");
    if (!has_descr || !has_order || !has_shape) fail("the header dict needs 'descr', 'fortran_order' and 'shape'");
    return header;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw ConversionError(where_ + what); }
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\t')) ++at_;
  }
  void expect(char c, const std::string& what) {
    skip_space();
    if (peek() != c) fail("expected " + what);
    ++at_;
  }
  std::string string_literal(const std::string& what) {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected " + what);
    const std::size_t end = text_.find(quote, at_ + 1);
    if (end == std::string::npos) fail("a string in the header is not terminated");
    std::string value = text_.substr(at_ + 1, end - at_ - 1);
    at_ = end + 1;
    return value;
  }
  bool boolean() {
    if (text_.compare(at_, 4, "True") == 0) return at_ += 4, true;
    if (text_.compare(at_, 5, "False") == 0) return at_ += 5, false;
    fail("'fortran_order' is neither True nor False");
  }
  std::vector<std::int64_t> int_tuple() {
    expect('(', "'shape' as a tuple of sizes such as (48, 16)");
    std::vector<std::int64_t> shape;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') fail("'shape' holds something that is not a size");
      std::int64_t value = 0;
      while (peek() >= '0' && peek() <= '9') {
        value = value * 10 + (peek() - '0');
        if (value > (std::int64_t{1} << 32)) fail("'shape' has a dimension larger than 2^32");
        ++at_;
      }
      if (peek() == 'L') ++at_;  // written by Python 2
      if (shape.size() == 32) fail("'shape' has more than 32 dimensions");
      shape.push_back(value);
      skip_space();
      if (peek() == ',') {
        ++at_;
        continue;
      }
      if (peek() != ')') fail("'shape' is not a tuple of sizes");
    }
    ++at_;
    return shape;
  }

  const std::string& text_;
  const std::string& where_;
  std::size_t at_ = 0;
};

// The tensor dtype of a .npy descr, and the element size; throws for what is not read.
std::string tensor_dtype(const std::string& descr, const std::string& where, std::size_t& element) {
  if (descr.size() < 2) throw ConversionError(where + "dtype '" + descr + "' is not a NumPy type string");
  const char order = descr[0];
  const std::string type = descr.substr(1);
  if (type == "O") {
    throw ConversionError(where + "is an object array (pickled Python objects, dtype '" + descr +
                          "'), which is never unpickled; save numeric arrays");
  }
  if (order == '>' && type != "f1" && type != "i1" && type != "u1" && type != "b1") {
    throw ConversionError(where + "dtype '" + descr + "' is big-endian; save it little-endian (array.astype('<" +
                          type + "'))");
  }
  if (order != '<' && order != '|' && order != '=' && order != '>') {
    throw ConversionError(where + "dtype '" + descr + "' is not a NumPy type string");
  }
  static const struct {
    const char* npy;
    const char* name;
    std::size_t size;
  } kTypes[] = {{"f2", "F16", 2}, {"f4", "F32", 4}, {"f8", "F64", 8}, {"i1", "I8", 1},  {"i2", "I16", 2},
                {"i4", "I32", 4}, {"i8", "I64", 8}, {"u1", "U8", 1},  {"u2", "U16", 2}, {"u4", "U32", 4},
                {"u8", "U64", 8}, {"b1", "BOOL", 1}};
  for (const auto& t : kTypes) {
    if (type == t.npy) {
      element = t.size;
      return t.name;
    }
  }
  throw ConversionError(where + "dtype '" + descr + "' is not supported (float16, float32 and float64 are read)");
}

[[noreturn]] void fail_member(const std::string& where, const std::string& what) { throw ConversionError(where + what); }

}  // namespace

SourceTensor read_npy(const std::string& name, const std::uint8_t* bytes, std::size_t size) {
  const std::string where = "npz: array '" + name + "': ";
  if (size < kMagicSize + 2 || std::memcmp(bytes, kMagic, kMagicSize) != 0) {
    fail_member(where, "is not a .npy array (no \\x93NUMPY magic)");
  }
  const std::uint8_t major = bytes[6];
  if (major < 1 || major > 3 || bytes[7] != 0) {
    fail_member(where, ".npy version " + std::to_string(major) + "." + std::to_string(bytes[7]) +
                           " is not one of 1.0, 2.0, 3.0");
  }
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  if (size < kMagicSize + 2 + length_bytes) fail_member(where, "ends inside its header (truncated?)");
  std::uint64_t header_size = 0;
  for (std::size_t i = length_bytes; i > 0; --i) header_size = (header_size << 8) | bytes[kMagicSize + 1 + i];
  const std::size_t start = kMagicSize + 2 + length_bytes;
  if (header_size > kMaxNpyHeader) {
    fail_member(where, "header of " + std::to_string(header_size) + " bytes, more than " +
                           std::to_string(kMaxNpyHeader));
  }
  if (header_size > size - start) {
    fail_member(where, "header of " + std::to_string(header_size) + " bytes but only " +
                           std::to_string(size - start) + " follow (truncated?)");
  }
  const std::string text(reinterpret_cast<const char*>(bytes + start), header_size);
  const NpyHeader header = HeaderParser(text, where).parse();
  std::size_t element = 0;
  SourceTensor tensor;
  tensor.dtype = tensor_dtype(header.descr, where, element);
  tensor.shape = header.shape;
  if (header.fortran_order) {
    fail_member(where, "is stored in Fortran (column-major) order; save it C-ordered (numpy.ascontiguousarray)");
  }
  const std::uint8_t* data = bytes + start + header_size;
  const std::uint64_t data_size = size - start - header_size;
  std::uint64_t numel = 1;
  for (std::int64_t dim : header.shape) {
    if (dim == 0) numel = 0;
  }
  for (std::int64_t dim : header.shape) {  // checked before multiplying: no product can overflow
    const auto d = static_cast<std::uint64_t>(dim);
    if (d != 0 && numel > data_size / d) {
      numel = data_size + 1;
      break;
    }
    numel *= d;
  }
  const std::string shape_text = tensor.shape_text();
  if (numel > data_size || numel * element != data_size) {
    fail_member(where, "holds " + std::to_string(data_size) + " bytes of data, but " + header.descr + " " +
                           shape_text + " needs " +
                           (numel > data_size ? std::string("more") : std::to_string(numel * element)));
  }
  tensor.is_float = float_dtype_size(tensor.dtype) != 0;
  if (tensor.is_float) {
    tensor.values.resize(numel);
    decode_floats(tensor.dtype, data, numel, tensor.values.data());
  }
  return tensor;
}

TensorMap read_npz(const std::uint8_t* bytes, std::size_t size, std::vector<std::string>* order) {
  ZipArchive archive(bytes, size, ".npz file");
  const std::vector<std::string> names = archive.names();
  if (names.size() > kMaxTensors) {
    throw ConversionError("npz: " + std::to_string(names.size()) + " members; the limit is " +
                          std::to_string(kMaxTensors));
  }
  TensorMap tensors;
  std::set<std::string> seen;
  for (const std::string& member : names) {
    if (!ends_with(member, ".npy")) {
      throw ConversionError("npz: member '" + member + "' is not a .npy array; an .npz holds only NAME.npy members");
    }
    if (!seen.insert(member).second) throw ConversionError("npz: two members are named '" + member + "'");
    const std::string name = member.substr(0, member.size() - 4);
    const std::vector<std::uint8_t> data = archive.read(member, UINT64_MAX);
    tensors.emplace(name, read_npy(name, data.data(), data.size()));
    if (order) order->push_back(name);
  }
  if (tensors.empty()) throw ConversionError("npz: the archive holds no arrays");
  return tensors;
}

bool looks_like_npz(const std::uint8_t* bytes, std::size_t size) {
  if (!looks_like_zip(bytes, size)) return false;
  try {
    bool any_npy = false;
    for (const std::string& name : ZipArchive(bytes, size, ".npz file").names()) {
      if (ends_with(name, "/data.pkl")) return false;
      any_npy = any_npy || ends_with(name, ".npy");
    }
    return any_npy;
  } catch (const ConversionError&) {
    return false;
  }
}

}  // namespace grurt::convert
