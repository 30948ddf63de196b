// Runs a parser that may crash on hostile input (the HDF5 library) in a
// separate process, so that a crash becomes an error message rather than the
// end of grurt-convert. The one place the converter's readers call the OS;
// where fork() is not available the work runs in this process.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace grurt::convert {

// `work` returns bytes or throws ConversionError; both come back from the
// child process. Throws ConversionError naming `what` when the child dies
// (a signal, a sanitizer report) instead of answering.
std::vector<std::uint8_t> isolated_call(const std::function<std::vector<std::uint8_t>()>& work, const std::string& what);

}  // namespace grurt::convert
