#include "host_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

// POSIX systems read through open/fstat/read: fstat on the open descriptor
// tells a directory from a file and gives the size of what is actually read,
// and errno gives the OS's reason. Elsewhere (or with GRURT_PORTABLE_FILE_IO,
// which the tests build too) std::filesystem and std::ifstream do the same.
#if !defined(GRURT_PORTABLE_FILE_IO) && (defined(__unix__) || defined(__APPLE__))
#define GRURT_POSIX_FILE_IO 1
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif
#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <cstdio>
#endif

namespace grurt::tools {
namespace {

[[noreturn]] void fail(const char* verb, const std::string& path, const std::string& reason) {
  throw std::runtime_error(std::string("cannot ") + verb + " '" + path + "': " + reason);
}

std::string os_reason(int code) { return code != 0 ? std::strerror(code) : "the system gave no reason"; }

enum class FileType { kRegular, kDirectory, kOther };

// Everything but a non-empty regular file within the limit is refused here,
// before a byte is allocated (a directory used to reach the allocator with a
// nonsense size and end as std::bad_alloc).
void check_file(const std::string& path, FileType type, std::uint64_t size, const FileLimit& limit) {
  if (type == FileType::kDirectory) fail("read", path, "it is a directory, not a file");
  if (type != FileType::kRegular) fail("read", path, "not a regular file (a pipe, socket or device)");
  if (size == 0) fail("read", path, "the file is empty (0 bytes)");
  if (size > limit.max_bytes) {
    fail("read", path,
         std::to_string(size) + " bytes is more than " + limit.kind + " may have (at most " +
             std::to_string(limit.max_bytes) + " bytes: " + limit.reason + ")");
  }
}

[[noreturn]] void fail_short(const std::string& path, std::uint64_t done, std::uint64_t size) {
  fail("read", path,
       "it ended after " + std::to_string(done) + " of " + std::to_string(size) +
           " bytes (did it change while being read?)");
}

#if defined(GRURT_POSIX_FILE_IO)

// Closes the descriptor however read_file leaves.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

AlignedBytes read_whole_file(const std::string& path, const FileLimit& limit) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
  Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) fail("open", path, os_reason(errno));
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) fail("read", path, os_reason(errno));
  const FileType type = S_ISREG(info.st_mode)   ? FileType::kRegular
                        : S_ISDIR(info.st_mode) ? FileType::kDirectory
                                                : FileType::kOther;
  const auto size = static_cast<std::uint64_t>(info.st_size);
  check_file(path, type, size, limit);

  AlignedBytes bytes(static_cast<std::size_t>(size));
  std::uint64_t done = 0;
  while (done < size) {
    // At most 1 GiB per call: some systems refuse larger single reads.
    const std::uint64_t chunk = size - done < (1u << 30) ? size - done : (1u << 30);
    const ssize_t n = ::read(file.fd, bytes.data() + done, static_cast<std::size_t>(chunk));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("read", path, os_reason(errno));
    }
    if (n == 0) fail_short(path, done, size);
    done += static_cast<std::uint64_t>(n);
  }
  return bytes;
}

#else

AlignedBytes read_whole_file(const std::string& path, const FileLimit& limit) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) fail("open", path, "No such file or directory");
  if (error) fail("open", path, error.message());
  const FileType type = fs::is_regular_file(status) ? FileType::kRegular
                        : fs::is_directory(status)  ? FileType::kDirectory
                                                    : FileType::kOther;
  std::uint64_t size = 0;
  if (type == FileType::kRegular) {
    size = fs::file_size(path, error);
    if (error) fail("read", path, error.message());
  }
  check_file(path, type, size, limit);

  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("open", path, os_reason(errno));
  AlignedBytes bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (static_cast<std::uint64_t>(in.gcount()) != size) fail_short(path, static_cast<std::uint64_t>(in.gcount()), size);
  return bytes;
}

#endif

}  // namespace

AlignedBytes read_file(const std::string& path, const FileLimit& limit) { return read_whole_file(path, limit); }

std::ifstream open_text_input(const std::string& path) {
  // std::ifstream opens a directory on some systems and then reads nothing.
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) fail("read", path, "it is a directory, not a file");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("open", path, os_reason(errno));
  return in;
}

std::ofstream create_text_output(const std::string& path) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail("create", path, os_reason(errno));
  return out;
}

void binary_standard_streams() {
#if defined(_WIN32)
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
#endif
}

void write_file(const std::string& path, const void* data, std::size_t size) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail("create", path, os_reason(errno));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) fail("write", path, os_reason(errno));
}

}  // namespace grurt::tools
