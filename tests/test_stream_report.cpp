// grurt-run's report of an audio stream: the real-time factor line and the
// progress bar (on a file here; grurt-run draws it only on a terminal).
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "stream_report.hpp"

using grurt::tools::format_duration;
using grurt::tools::real_time_line;

TEST_CASE("Real-time line: duration and rate and time and factor and time per sample", "[report]") {
  // 60 s at 48 kHz in 0.41 s: 146.3x, 0.41 s / 2880000 = 142.4 ns.
  REQUIRE(real_time_line(2880000, 48000, 1, 0.41) == "60.0 s of 48 kHz audio in 0.41 s: 146x real time (142 ns per sample)");
  // Two channels: the time is per frame (one step), 2 s / 441000 = 4.535 us.
  REQUIRE(real_time_line(441000, 44100, 2, 2.0) ==
          "10.0 s of 44.1 kHz audio in 2.00 s: 5.00x real time (4.54 \xC2\xB5s per frame of 2 samples)");
  // Slower than real time.
  REQUIRE(real_time_line(8000, 8000, 1, 4.0) == "1.00 s of 8 kHz audio in 4.00 s: 0.25x real time (500 \xC2\xB5s per sample)");
  REQUIRE(real_time_line(0, 22050, 1, 0.001) == "0 s of 22.05 kHz audio in 1.00 ms (no frames)");
  REQUIRE(real_time_line(50, 100, 3, 0.0) == "0.5 s of 100 Hz audio in 0 s: too fast to time (0 s per frame of 3 samples)");
}

TEST_CASE("Durations: three significant digits in s or ms or us or ns", "[report]") {
  REQUIRE(format_duration(125.4) == "125 s");
  REQUIRE(format_duration(60) == "60.0 s");
  REQUIRE(format_duration(1.5) == "1.50 s");
  REQUIRE(format_duration(0.0417) == "41.7 ms");
  REQUIRE(format_duration(2.8e-6) == "2.80 \xC2\xB5s");
  REQUIRE(format_duration(8.5e-8) == "85.0 ns");
}

namespace {

std::string contents(std::FILE* file) {
  std::rewind(file);
  std::string text;
  for (int c; (c = std::fgetc(file)) != EOF;) text += static_cast<char>(c);
  return text;
}

}  // namespace

TEST_CASE("Progress bar: silent at first then redrawn at most every 0.1 s then erased", "[report]") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file);
  grurt::tools::ProgressBar bar(file, 1000, 100, 0.5);
  bar.update(100, 0.2);
  REQUIRE(contents(file).empty());  // a short run shows nothing
  std::fseek(file, 0, SEEK_END);
  bar.update(500, 0.6);
  const std::string half = "\r[===============               ]  50%  5.00 s of 10.0 s";
  REQUIRE(contents(file) == half);
  std::fseek(file, 0, SEEK_END);
  bar.update(600, 0.65);
  REQUIRE(contents(file) == half);
  std::fseek(file, 0, SEEK_END);
  bar.update(1000, 0.8);
  const std::string full = "\r[==============================] 100%  10.0 s of 10.0 s";
  REQUIRE(contents(file) == half + full);
  std::fseek(file, 0, SEEK_END);
  bar.finish();
  REQUIRE(contents(file) == half + full + "\r" + std::string(full.size() - 1, ' ') + "\r");
  std::fclose(file);
}

TEST_CASE("Progress bar: a run shorter than the delay leaves nothing", "[report]") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file);
  grurt::tools::ProgressBar bar(file, 1000, 100, 0.5);
  bar.update(1000, 0.3);
  bar.finish();
  REQUIRE(contents(file).empty());
  std::fclose(file);
}
