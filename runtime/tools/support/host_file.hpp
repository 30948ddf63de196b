// The tools' one place for file I/O: whole files read into 64-byte aligned
// memory (AlignedBytes) and written back. Every operating-system call of the
// tools (open, fstat, read) is in host_file.cpp and nowhere else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "aligned_bytes.hpp"

namespace grurt::tools {

// The most bytes one kind of file may have, and why: a larger file is refused
// before anything is allocated, with both in the message.
struct FileLimit {
  std::uint64_t max_bytes;
  const char* kind;    // "a .grurt model": "N bytes is more than <kind> may have"
  const char* reason;  // "FlatBuffers' limit, 2 GiB - 1": "(at most M bytes: <reason>)"
};

// Reads the whole regular file `path`. Throws std::runtime_error naming the
// path and what is wrong; the cases (each tested in tests/test_host_file.cpp):
//   cannot open 'PATH': No such file or directory          (the OS's reason)
//   cannot open 'PATH': Permission denied                  (the OS's reason)
//   cannot read 'PATH': it is a directory, not a file
//   cannot read 'PATH': not a regular file (a pipe, socket or device)
//   cannot read 'PATH': the file is empty (0 bytes)
//   cannot read 'PATH': N bytes is more than KIND may have (at most M bytes: REASON)
AlignedBytes read_file(const std::string& path, const FileLimit& limit);

// Text goes in and out as bytes (binary mode) on every system: the readers
// take LF and CRLF line ends alike, and the tools write LF, so a file written
// on Windows equals the one written on Linux byte for byte.

// Opens `path` to stream text from (grurt-run's CSV input). Refused as by
// read_file when missing, unreadable or a directory; an empty file is fine (no
// lines) and so is a pipe (`-i <(command)`), so there is no size check.
std::ifstream open_text_input(const std::string& path);

// Creates (or truncates) `path` to stream text to; throws std::runtime_error
// "cannot create 'PATH': <reason>".
std::ofstream create_text_output(const std::string& path);

// Puts standard input and output in binary mode, as the files above: on
// Windows they would otherwise turn LF into CRLF. Nothing elsewhere. Every
// tool's main() calls it (tool_main.cpp).
void binary_standard_streams();

// Writes `size` bytes to `path` (replacing it); throws std::runtime_error
// "cannot create 'PATH': <reason>" or "cannot write 'PATH': <reason>".
void write_file(const std::string& path, const void* data, std::size_t size);

}  // namespace grurt::tools
