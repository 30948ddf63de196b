// Whether the tools' standard output or error is a terminal: the one place the
// tools ask the OS (isatty; _isatty on Windows), so that progress shows on a
// terminal and never in pipes, files or CI logs.
#pragma once

namespace grurt::tools {

enum class StandardStream { kOutput, kError };

bool is_terminal(StandardStream stream);

}  // namespace grurt::tools
