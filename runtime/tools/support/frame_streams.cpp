#include "frame_streams.hpp"

#include <algorithm>
#include <cstdio>

namespace grurt::tools {

std::size_t CsvSource::read(float* frames, std::size_t max_frames) {
  if (max_frames == 0 || !rows_.next(row_)) return 0;
  std::copy(row_.begin(), row_.end(), frames);
  return 1;
}

std::size_t AudioSource::read(float* frames, std::size_t max_frames) {
  const std::size_t got = reader_.read(frames, max_frames);
  first_ = next_;
  next_ += got;
  return got;
}

std::string AudioSource::where(std::size_t index) const {
  const std::uint64_t frame = first_ + index;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.6g s", static_cast<double>(frame) / reader_.info().sample_rate);
  return "frame " + std::to_string(frame) + " (" + seconds + ")";
}

void CsvSink::write(const float* frames, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) out_ << format_row(frames + i * width_, width_) << '\n';
}

}  // namespace grurt::tools
