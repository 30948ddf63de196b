// AudioReader and AudioWriter where libsndfile was not found at configure time
// (e.g. the Windows cross build): every audio file is refused with the reason.
#include <stdexcept>

#include "audio_file.hpp"

namespace grurt::tools {

namespace {

[[noreturn]] void refuse(const std::string& path) {
  throw std::runtime_error("'" + path +
                           "': this grurt-run was built without libsndfile: audio files are not supported; use CSV");
}

}  // namespace

std::string audio_library_version() { return ""; }

struct AudioReader::File {};
struct AudioWriter::File {};

AudioReader::AudioReader(const std::string& path) : path_(path) { refuse(path); }
AudioReader::~AudioReader() = default;
std::size_t AudioReader::read(float*, std::size_t) { return 0; }

AudioWriter::AudioWriter(const std::string& path, AudioContainer, SampleFormat, int, int) : path_(path) {
  refuse(path);
}
AudioWriter::~AudioWriter() = default;
void AudioWriter::write(const float*, std::size_t) {}
void AudioWriter::close() {}
std::uint64_t AudioWriter::clipped() const { return 0; }
std::uint64_t AudioWriter::nans() const { return 0; }

}  // namespace grurt::tools
