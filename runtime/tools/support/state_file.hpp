// grurt-run's state files (--initial-state, --final-state): a session's
// recurrent state (Session::read_state / write_state order) as text, one float
// per line printed with %.9g, which gives a float back bit for bit. Reading
// skips blank lines and lines starting with '#', like the CSV input.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "host_file.hpp"

namespace grurt::tools {

// A state file is about 16 bytes a float: larger than this is not one.
constexpr FileLimit kStateFileLimit{std::uint64_t{1} << 30, "a state file", "1 GiB, grurt-run's limit"};

// Reads exactly `count` finite floats. Throws std::runtime_error naming the
// path and the line: a non-number, a NaN or infinity, or a wrong count (with
// the count the model needs).
std::vector<float> read_state_file(const std::string& path, std::size_t count);

// Writes `count` floats, one per line (%.9g).
void write_state_file(const std::string& path, const float* values, std::size_t count);

}  // namespace grurt::tools
