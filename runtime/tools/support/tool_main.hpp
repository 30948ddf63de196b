// The one main() of the command-line tools, after each has declared its options.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace grurt::tools {

// Parses the command line into `app`'s options, then runs `work`:
//   --help, --version: printed, exit 0;
//   a command-line error: CLI11's message, exit 2;
//   an exception from `work`: "<app name>: error: <what()>" on stderr, exit 1;
//   otherwise: what `work` returns.
// Tests check these texts and codes (tests/cli/test_cli.sh, tests/convert/test_refusals.sh).
int run_tool(CLI::App& app, int argc, char** argv, const std::function<int()>& work);

}  // namespace grurt::tools
