#include "isolated_call.hpp"

#include "grurt_convert/conversion_error.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define GRURT_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define GRURT_SANITIZED 1
#endif
#ifdef GRURT_SANITIZED
#include <sanitizer/common_interface_defs.h>
#endif
#endif

namespace grurt::convert {

#if defined(__unix__) || defined(__APPLE__)
namespace {

void write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Longest a reading may take: a library stuck in a loop on a hostile file is
// stopped (below the fuzzers' 10 s per input).
constexpr unsigned kSecondsAllowed = 5;

// Child: one status byte (0 result, 1 error message), then the bytes.
[[noreturn]] void child(int fd, const std::function<std::vector<std::uint8_t>()>& work) {
  std::signal(SIGALRM, SIG_DFL);  // not an inherited handler (a fuzzer's): the alarm ends this process
  ::alarm(kSecondsAllowed);
#ifdef GRURT_SANITIZED
  // A sanitizer report in here is the library's, contained by this process:
  // end it quietly instead of letting a fuzzer's handler record it as ours.
  __sanitizer_set_death_callback([] { _exit(86); });
#endif
  std::uint8_t status = 0;
  std::vector<std::uint8_t> out;
  try {
    out = work();
  } catch (const ConversionError& e) {
    status = 1;
    const std::string message = e.what();
    out.assign(message.begin(), message.end());
  } catch (...) {
    _exit(87);
  }
  write_all(fd, &status, 1);
  write_all(fd, out.data(), out.size());
  ::close(fd);
  _exit(0);
}

}  // namespace

std::vector<std::uint8_t> isolated_call(const std::function<std::vector<std::uint8_t>()>& work, const std::string& what) {
  int fds[2];
  if (::pipe(fds) != 0) throw ConversionError(what + ": cannot start the reading process: " + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw ConversionError(what + ": cannot start the reading process: " + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(fds[1], work);
  }
  ::close(fds[1]);
  std::vector<std::uint8_t> received;
  std::uint8_t buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.insert(received.end(), buffer, buffer + n);
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || received.empty()) {
    const std::string how =
        WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM
            ? "did not finish in " + std::to_string(kSecondsAllowed) + " s"
            : WIFSIGNALED(status) ? "was killed by signal " + std::to_string(WTERMSIG(status))
                                  : "stopped with status " + std::to_string(WEXITSTATUS(status));
    throw ConversionError(what + ": the library failed on this file (its reading process " + how +
                          "): the file is broken or hostile; grurt reads it in a separate process, so nothing else "
                          "was affected");
  }
  if (received[0] == 1) throw ConversionError(std::string(received.begin() + 1, received.end()));
  return std::vector<std::uint8_t>(received.begin() + 1, received.end());
}

#else

std::vector<std::uint8_t> isolated_call(const std::function<std::vector<std::uint8_t>()>& work, const std::string&) {
  return work();
}

#endif

}  // namespace grurt::convert
