#include "terminal.hpp"

#include <cstdio>
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

namespace grurt::tools {

bool is_terminal(StandardStream stream) {
  std::FILE* file = stream == StandardStream::kOutput ? stdout : stderr;
#ifdef _WIN32
  return _isatty(_fileno(file)) != 0;
#else
  return isatty(fileno(file)) != 0;
#endif
}

}  // namespace grurt::tools
