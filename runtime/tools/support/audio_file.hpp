// grurt-run's audio files, through libsndfile: a reader of interleaved float
// frames and a writer in a chosen container and sample format. Built from
// audio_file_sndfile.cpp where libsndfile was found at configure time, else from
// audio_file_absent.cpp, whose every constructor throws "this grurt-run was
// built without libsndfile ...". Errors are std::runtime_error naming the file,
// with libsndfile's reason.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "audio_formats.hpp"

namespace grurt::tools {

// "libsndfile-1.2.0", or "" in a build without it.
std::string audio_library_version();

struct AudioInfo {
  int channels = 0;
  int sample_rate = 0;       // Hz
  std::uint64_t frames = 0;  // one sample of every channel; what the header says
};

class AudioReader {
 public:
  explicit AudioReader(const std::string& path);
  ~AudioReader();
  AudioReader(const AudioReader&) = delete;
  AudioReader& operator=(const AudioReader&) = delete;

  const AudioInfo& info() const { return info_; }
  // Reads up to `max_frames` frames (channels interleaved) into `frames`, as
  // floats: PCM of n bits as k / 2^(n-1) (16-bit: k / 32768), float files as
  // stored. Returns the number read, 0 at the end.
  std::size_t read(float* frames, std::size_t max_frames);

 private:
  struct File;
  std::unique_ptr<File> file_;
  AudioInfo info_;
  std::string path_;
};

class AudioWriter {
 public:
  // Creates (or replaces) `path`. PCM formats go through PcmQuantizer.
  AudioWriter(const std::string& path, AudioContainer container, SampleFormat format, int channels,
              int sample_rate);
  ~AudioWriter();
  AudioWriter(const AudioWriter&) = delete;
  AudioWriter& operator=(const AudioWriter&) = delete;

  void write(const float* frames, std::size_t count);
  // Writes the header and closes the file; throws if that fails.
  void close();

  // PCM only (0 for float): values beyond full scale clipped, NaNs written as 0.
  std::uint64_t clipped() const;
  std::uint64_t nans() const;

 private:
  struct File;  // the open file, its format and its PcmQuantizer
  std::unique_ptr<File> file_;
  std::string path_;
};

}  // namespace grurt::tools
