// AudioReader and AudioWriter on libsndfile (found with pkg-config; see
// runtime/tools/CMakeLists.txt).
#include <sndfile.h>

#include <stdexcept>
#include <vector>

#include "audio_file.hpp"

namespace grurt::tools {

std::string audio_library_version() { return sf_version_string(); }

struct AudioReader::File {
  SNDFILE* handle = nullptr;
  ~File() {
    if (handle) sf_close(handle);
  }
};

AudioReader::AudioReader(const std::string& path) : file_(std::make_unique<File>()), path_(path) {
  SF_INFO sf_info{};
  file_->handle = sf_open(path.c_str(), SFM_READ, &sf_info);
  if (!file_->handle) {
    throw std::runtime_error("cannot read audio file '" + path + "': " + sf_strerror(nullptr));
  }
  info_.channels = sf_info.channels;
  info_.sample_rate = sf_info.samplerate;
  info_.frames = sf_info.frames < 0 ? 0 : static_cast<std::uint64_t>(sf_info.frames);
}

AudioReader::~AudioReader() = default;

std::size_t AudioReader::read(float* frames, std::size_t max_frames) {
  const sf_count_t got = sf_readf_float(file_->handle, frames, static_cast<sf_count_t>(max_frames));
  if (got < static_cast<sf_count_t>(max_frames) && sf_error(file_->handle) != SF_ERR_NO_ERROR) {
    throw std::runtime_error("cannot read audio file '" + path_ + "': " + sf_strerror(file_->handle));
  }
  return got < 0 ? 0 : static_cast<std::size_t>(got);
}

struct AudioWriter::File {
  SampleFormat format;
  int channels;
  PcmQuantizer quantizer;
  SNDFILE* handle = nullptr;
  std::vector<std::int32_t> pcm;  // one block's quantised samples
  File(SampleFormat format, int channels)
      : format(format), channels(channels), quantizer(format == SampleFormat::kPcm16 ? 16 : 24) {}
  ~File() {
    if (handle) sf_close(handle);
  }
};

namespace {

int sndfile_format(AudioContainer container, SampleFormat format) {
  const int major = container == AudioContainer::kWav    ? SF_FORMAT_WAV
                    : container == AudioContainer::kFlac ? SF_FORMAT_FLAC
                                                         : SF_FORMAT_AIFF;
  const int subtype = format == SampleFormat::kFloat   ? SF_FORMAT_FLOAT
                      : format == SampleFormat::kPcm16 ? SF_FORMAT_PCM_16
                                                       : SF_FORMAT_PCM_24;
  return major | subtype;
}

}  // namespace

AudioWriter::AudioWriter(const std::string& path, AudioContainer container, SampleFormat format, int channels,
                         int sample_rate)
    : file_(std::make_unique<File>(format, channels)), path_(path) {
  check_format(container, format, path);
  SF_INFO sf_info{};
  sf_info.channels = channels;
  sf_info.samplerate = sample_rate;
  sf_info.format = sndfile_format(container, format);
  const std::string what = std::string(container_name(container)) + ", " + format_name(format) + ", " +
                           std::to_string(channels) + (channels == 1 ? " channel" : " channels") + " at " +
                           std::to_string(sample_rate) + " Hz";
  if (!sf_format_check(&sf_info)) {
    throw std::runtime_error("cannot create '" + path + "': libsndfile cannot write " + what);
  }
  file_->handle = sf_open(path.c_str(), SFM_WRITE, &sf_info);
  if (!file_->handle) {
    throw std::runtime_error("cannot create '" + path + "' (" + what + "): " + sf_strerror(nullptr));
  }
}

AudioWriter::~AudioWriter() = default;

void AudioWriter::write(const float* frames, std::size_t count) {
  const auto wanted = static_cast<sf_count_t>(count);
  sf_count_t written;
  if (file_->format == SampleFormat::kFloat) {
    written = sf_writef_float(file_->handle, frames, wanted);
  } else {
    file_->pcm.resize(count * static_cast<std::size_t>(file_->channels));
    file_->quantizer.convert(frames, file_->pcm.data(), file_->pcm.size());
    written = sf_writef_int(file_->handle, file_->pcm.data(), wanted);
  }
  if (written != wanted) {
    throw std::runtime_error("cannot write '" + path_ + "': " + sf_strerror(file_->handle));
  }
}

std::uint64_t AudioWriter::clipped() const { return file_->quantizer.clipped(); }
std::uint64_t AudioWriter::nans() const { return file_->quantizer.nans(); }

void AudioWriter::close() {
  SNDFILE* handle = file_->handle;
  file_->handle = nullptr;
  if (handle && sf_close(handle) != 0) {
    throw std::runtime_error("cannot write '" + path_ + "': " + sf_strerror(nullptr));
  }
}

}  // namespace grurt::tools
