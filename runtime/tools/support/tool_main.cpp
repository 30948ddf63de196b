#include "tool_main.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <new>

#include "host_file.hpp"

namespace grurt::tools {

namespace {

int report(const CLI::App& app, const char* message) {
  std::fprintf(stderr, "%s: error: %s\n", app.get_name().c_str(), message);
  return 1;
}

}  // namespace

int run_tool(CLI::App& app, int argc, char** argv, const std::function<int()>& work) {
  binary_standard_streams();  // LF line ends on standard output too, as in files
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    return work();
  } catch (const std::bad_alloc&) {
    // what() would only say "std::bad_alloc".
    return report(app, "out of memory (std::bad_alloc)");
  } catch (const std::exception& e) {
    return report(app, e.what());
  }
}

}  // namespace grurt::tools
