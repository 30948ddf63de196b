// What grurt-run tells on stderr about a stream of audio (audio input, or CSV
// with --rate): the real-time factor line at the end, and a progress bar while
// a long run goes on (only on a terminal: the caller decides, see terminal.hpp).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace grurt::tools {

// "60.0 s of 48 kHz audio in 0.41 s: 146x real time (2.8 µs per sample)": the
// stream's duration (frames / sample_rate), the wall-clock time it took, their
// ratio, and the time per frame (one time step: a sample of each of `channels`
// channels; named "sample" for one channel, "frame of N samples" otherwise).
std::string real_time_line(std::uint64_t frames, double sample_rate, int channels, double seconds);

// "0.41 s", "60.0 s", "41.7 ms", "2.80 µs", "850 ns": three significant digits
// (exposed for the tests).
std::string format_duration(double seconds);

// A one-line bar redrawn in place ('\r') on `out`: "[=====     ]  50%  30.0 of 60.0 s".
// Silent for the first `delay` seconds (a short run shows nothing), then
// redrawn at most every 0.1 s; finish() erases it.
class ProgressBar {
 public:
  ProgressBar(std::FILE* out, std::uint64_t total_frames, double sample_rate, double delay = 0.5)
      : out_(out), total_(total_frames), rate_(sample_rate), delay_(delay) {}
  // `frames` done after `elapsed` seconds.
  void update(std::uint64_t frames, double elapsed);
  void finish();

 private:
  std::FILE* out_;
  std::uint64_t total_;
  double rate_;
  double delay_;
  double drawn_at_ = -1;  // elapsed time of the last drawing; < 0: never drawn
  std::size_t width_ = 0;  // characters of the last drawing
};

}  // namespace grurt::tools
