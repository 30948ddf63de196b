// What grurt-run makes of a file name (CSV or audio, and which container), the
// sample formats it writes audio in, and how a float becomes a PCM sample.
// Nothing here needs libsndfile: a build without it still names the formats
// (to say that it cannot read them), and the tests check these rules directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace grurt::tools {

enum class AudioContainer { kWav, kFlac, kAiff };
enum class SampleFormat { kFloat, kPcm16, kPcm24 };

const char* container_name(AudioContainer container);  // "WAV", "FLAC", "AIFF"
const char* format_name(SampleFormat format);          // "32-bit float", "16-bit PCM", "24-bit PCM"

// An input is audio when its extension is one an audio library reads (wav, flac,
// aif, aiff, ogg, mp3, ...; case ignored); anything else is CSV, as before audio
// support, so `-i <(command)` and any other CSV file name keep working.
bool is_audio_input(const std::string& path);

// The container an output's extension asks for: .wav, .flac, .aif/.aiff. CSV
// (nullopt) for '-', .csv, .txt and names without an extension. Any other
// extension is refused (std::runtime_error naming it and the choices).
std::optional<AudioContainer> output_container(const std::string& path);

// Float where the container holds it (WAV, AIFF), else 24-bit PCM (FLAC).
SampleFormat default_format(AudioContainer container);
// Throws std::runtime_error when `container` cannot hold `format` (FLAC and float).
void check_format(AudioContainer container, SampleFormat format, const std::string& path);

// Floats to PCM samples of `bits` (16 or 24) bits, left-aligned in an int32 (the
// layout libsndfile's sf_write_int takes for every PCM width): x * 2^(bits-1)
// rounded to nearest, so a sample read as n / 2^(bits-1) is written back as n.
// Full scale is [-1, 1]: a value beyond it is clipped to the format's extreme and
// counted; a NaN is written as 0 and counted apart.
class PcmQuantizer {
 public:
  explicit PcmQuantizer(int bits) : bits_(bits) {}
  void convert(const float* values, std::int32_t* samples, std::size_t count);
  std::uint64_t clipped() const { return clipped_; }
  std::uint64_t nans() const { return nans_; }

 private:
  int bits_;
  std::uint64_t clipped_ = 0;
  std::uint64_t nans_ = 0;
};

}  // namespace grurt::tools
