#include "stream_report.hpp"

#include <algorithm>
#include <cmath>

namespace grurt::tools {

namespace {

// Windows consoles show UTF-8 only when told to; "us" reads well anywhere.
#ifdef _WIN32
constexpr const char* kMicro = "us";
#else
constexpr const char* kMicro = "\xC2\xB5s";  // µs
#endif

std::string printf_string(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

// Three significant digits, but "60.0" rather than "60" and "146" rather than "1.46e+02".
std::string three_digits(double value) {
  if (value >= 100) return printf_string("%.0f", value);
  if (value >= 10) return printf_string("%.1f", value);
  if (value >= 1) return printf_string("%.2f", value);
  return printf_string("%.3g", value);
}

std::string format_rate(double hz) {
  return hz >= 1000 ? printf_string("%g kHz", hz / 1000) : printf_string("%g Hz", hz);
}

}  // namespace

std::string format_duration(double seconds) {
  if (seconds >= 0.1 || seconds == 0) return three_digits(seconds) + " s";
  if (seconds >= 1e-3) return three_digits(seconds * 1e3) + " ms";
  if (seconds >= 1e-6) return three_digits(seconds * 1e6) + " " + kMicro;
  return three_digits(seconds * 1e9) + " ns";
}

std::string real_time_line(std::uint64_t frames, double sample_rate, int channels, double seconds) {
  const double audio = static_cast<double>(frames) / sample_rate;
  std::string line = format_duration(audio) + " of " + format_rate(sample_rate) + " audio in " + format_duration(seconds);
  if (frames == 0) return line + " (no frames)";
  const std::string per = channels == 1 ? "sample" : "frame of " + std::to_string(channels) + " samples";
  const std::string ratio = seconds > 0 ? three_digits(audio / seconds) + "x real time" : "too fast to time";
  return line + ": " + ratio + " (" + format_duration(seconds / static_cast<double>(frames)) + " per " + per + ")";
}

void ProgressBar::update(std::uint64_t frames, double elapsed) {
  if (elapsed < delay_ || (drawn_at_ >= 0 && elapsed - drawn_at_ < 0.1)) return;
  drawn_at_ = elapsed;
  constexpr int kBar = 30;
  const double done = total_ ? std::min(1.0, static_cast<double>(frames) / static_cast<double>(total_)) : 0;
  const int filled = static_cast<int>(done * kBar);
  char line[160];
  const int width = std::snprintf(line, sizeof line, "\r[%.*s%*s] %3d%%  %s of %s", filled,
                                  "==============================", kBar - filled, "", static_cast<int>(done * 100),
                                  format_duration(static_cast<double>(frames) / rate_).c_str(),
                                  format_duration(static_cast<double>(total_) / rate_).c_str());
  std::fputs(line, out_);
  std::fflush(out_);
  width_ = width > 0 ? static_cast<std::size_t>(width) - 1 : 0;
}

void ProgressBar::finish() {
  if (drawn_at_ < 0) return;
  std::fprintf(out_, "\r%*s\r", static_cast<int>(width_), "");
  std::fflush(out_);
}

}  // namespace grurt::tools
