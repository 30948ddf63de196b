#include "host_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <new>
#include <stdexcept>

namespace grurt::tools {
namespace {

constexpr std::align_val_t kAlignment{64};

std::runtime_error file_error(const std::string& what, const std::string& path) {
  const int code = errno;
  return std::runtime_error("cannot " + what + " '" + path + "'" + (code ? ": " + std::string(std::strerror(code)) : ""));
}

}  // namespace

void FileBytes::AlignedFree::operator()(std::uint8_t* p) const { ::operator delete[](p, kAlignment); }

FileBytes FileBytes::read(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw file_error("open", path);
  const std::streamoff length = in.tellg();
  if (length < 0) throw file_error("determine the size of", path);
  FileBytes file;
  file.size_ = static_cast<std::size_t>(length);
  // At least one byte so data() is a real, aligned pointer even for an empty file.
  file.data_.reset(static_cast<std::uint8_t*>(::operator new[](file.size_ + 1, kAlignment)));
  in.seekg(0);
  if (file.size_ > 0 && !in.read(reinterpret_cast<char*>(file.data_.get()), length)) throw file_error("read", path);
  return file;
}

void write_file(const std::string& path, const void* data, std::size_t size) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw file_error("create", path);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) throw file_error("write", path);
}

}  // namespace grurt::tools
