// grurt-run's inputs and outputs as streams of frames (one frame = one time
// step: the model's inputs, or its outputs, interleaved): CSV rows or audio
// samples behind one interface, so one loop runs both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "audio_file.hpp"
#include "csv_rows.hpp"

namespace grurt::tools {

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  // Reads up to `max_frames` frames into `frames`; 0 at the end. Throws
  // std::runtime_error for bad input, prefixed with where() it is.
  virtual std::size_t read(float* frames, std::size_t max_frames) = 0;
  // Where frame `index` of the last read() is, for messages: "line 7", "frame 96000 (2.00 s)".
  virtual std::string where(std::size_t index) const = 0;
};

// One CSV row per read(), whatever `max_frames` is: a row typed on a terminal
// or written by another program gets its output line at once.
class CsvSource : public FrameSource {
 public:
  CsvSource(std::istream& in, std::size_t width) : rows_(in, width) {}
  std::size_t read(float* frames, std::size_t max_frames) override;
  std::string where(std::size_t) const override { return "line " + std::to_string(rows_.line_number()); }

 private:
  CsvRows rows_;
  std::vector<float> row_;
};

class AudioSource : public FrameSource {
 public:
  explicit AudioSource(AudioReader& reader) : reader_(reader) {}
  std::size_t read(float* frames, std::size_t max_frames) override;
  std::string where(std::size_t index) const override;

 private:
  AudioReader& reader_;
  std::uint64_t first_ = 0;  // index of the last read()'s first frame in the file
  std::uint64_t next_ = 0;
};

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void write(const float* frames, std::size_t count) = 0;
};

// One line per frame, values as format_row() prints them.
class CsvSink : public FrameSink {
 public:
  CsvSink(std::ostream& out, std::size_t width) : out_(out), width_(width) {}
  void write(const float* frames, std::size_t count) override;

 private:
  std::ostream& out_;
  std::size_t width_;
};

class AudioSink : public FrameSink {
 public:
  explicit AudioSink(AudioWriter& writer) : writer_(writer) {}
  void write(const float* frames, std::size_t count) override { writer_.write(frames, count); }

 private:
  AudioWriter& writer_;
};

}  // namespace grurt::tools
