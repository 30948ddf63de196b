#include "audio_formats.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace grurt::tools {

namespace {

// The extension after the last '.' of the file name (not of a folder), lower case;
// "" when there is none.
std::string extension(const std::string& path) {
  const std::size_t name = path.find_last_of("/\\");
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || (name != std::string::npos && dot < name)) return "";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

}  // namespace

const char* container_name(AudioContainer container) {
  switch (container) {
    case AudioContainer::kWav: return "WAV";
    case AudioContainer::kFlac: return "FLAC";
    case AudioContainer::kAiff: return "AIFF";
  }
  return "?";
}

const char* format_name(SampleFormat format) {
  switch (format) {
    case SampleFormat::kFloat: return "32-bit float";
    case SampleFormat::kPcm16: return "16-bit PCM";
    case SampleFormat::kPcm24: return "24-bit PCM";
  }
  return "?";
}

bool is_audio_input(const std::string& path) {
  static const char* const kAudio[] = {"wav", "wave", "flac", "aif", "aiff", "aifc", "ogg", "oga", "opus",
                                       "mp3", "w64", "rf64", "caf", "au", "snd"};
  const std::string ext = extension(path);
  return std::find(std::begin(kAudio), std::end(kAudio), ext) != std::end(kAudio);
}

std::optional<AudioContainer> output_container(const std::string& path) {
  const std::string ext = extension(path);
  if (path == "-" || ext.empty() || ext == "csv" || ext == "txt") return std::nullopt;
  if (ext == "wav") return AudioContainer::kWav;
  if (ext == "flac") return AudioContainer::kFlac;
  if (ext == "aif" || ext == "aiff") return AudioContainer::kAiff;
  throw std::runtime_error("'" + path + "': grurt-run does not write ." + ext +
                           " files: the output's extension picks the format: .wav, .flac, .aif or .aiff "
                           "(audio), .csv or .txt (CSV)");
}

SampleFormat default_format(AudioContainer container) {
  return container == AudioContainer::kFlac ? SampleFormat::kPcm24 : SampleFormat::kFloat;
}

void check_format(AudioContainer container, SampleFormat format, const std::string& path) {
  if (container == AudioContainer::kFlac && format == SampleFormat::kFloat) {
    throw std::runtime_error("'" + path + "': FLAC holds integer samples only: use --format pcm16 or pcm24");
  }
}

void PcmQuantizer::convert(const float* values, std::int32_t* samples, std::size_t count) {
  const double scale = std::ldexp(1.0, bits_ - 1);
  const double low = -scale, high = scale - 1;
  const int shift = 32 - bits_;
  for (std::size_t i = 0; i < count; ++i) {
    const float v = values[i];
    double q = 0;
    if (std::isnan(v)) {
      ++nans_;
    } else {
      if (v > 1.0f || v < -1.0f) ++clipped_;
      q = std::min(high, std::max(low, std::nearbyint(static_cast<double>(v) * scale)));
    }
    // Left-aligned: the sample's bits at the top of the int32, as libsndfile takes them.
    samples[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::int32_t>(q)) << shift);
  }
}

}  // namespace grurt::tools
