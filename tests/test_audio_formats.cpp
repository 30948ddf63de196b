// grurt-run's audio rules without libsndfile: which names are audio, which
// container an output gets, and float -> PCM (rounding, clipping, NaN).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "audio_formats.hpp"

using grurt::tools::AudioContainer;
using grurt::tools::PcmQuantizer;
using grurt::tools::SampleFormat;

TEST_CASE("Audio names: inputs by extension and everything else CSV", "[audio]") {
  using grurt::tools::is_audio_input;
  for (const char* audio : {"a.wav", "b.WAV", "dir/c.flac", "d.aif", "e.AIFF", "f.ogg", "g.mp3"}) {
    INFO(audio);
    REQUIRE(is_audio_input(audio));
  }
  for (const char* csv : {"-", "in.csv", "in.txt", "/dev/fd/63", "dir.wav/rows", "wav", "x.wav.csv"}) {
    INFO(csv);
    REQUIRE_FALSE(is_audio_input(csv));
  }
}

TEST_CASE("Audio names: an output's extension picks its container", "[audio]") {
  using grurt::tools::output_container;
  REQUIRE(output_container("out.wav") == AudioContainer::kWav);
  REQUIRE(output_container("OUT.FLAC") == AudioContainer::kFlac);
  REQUIRE(output_container("o.aif") == AudioContainer::kAiff);
  REQUIRE(output_container("o.aiff") == AudioContainer::kAiff);
  for (const char* csv : {"-", "out.csv", "out.txt", "/dev/null", "dir.v2/out"}) {
    INFO(csv);
    REQUIRE_FALSE(output_container(csv).has_value());
  }
  REQUIRE_THROWS_WITH(output_container("song.mp3"),
                      "'song.mp3': grurt-run does not write .mp3 files: the output's extension picks the format: "
                      ".wav, .flac, .aif or .aiff (audio), .csv or .txt (CSV)");
}

TEST_CASE("Audio formats: defaults and FLAC without float", "[audio]") {
  REQUIRE(grurt::tools::default_format(AudioContainer::kWav) == SampleFormat::kFloat);
  REQUIRE(grurt::tools::default_format(AudioContainer::kAiff) == SampleFormat::kFloat);
  REQUIRE(grurt::tools::default_format(AudioContainer::kFlac) == SampleFormat::kPcm24);
  REQUIRE_THROWS_WITH(grurt::tools::check_format(AudioContainer::kFlac, SampleFormat::kFloat, "x.flac"),
                      "'x.flac': FLAC holds integer samples only: use --format pcm16 or pcm24");
  REQUIRE_NOTHROW(grurt::tools::check_format(AudioContainer::kFlac, SampleFormat::kPcm16, "x.flac"));
}

TEST_CASE("PCM: every 16-bit sample read as k / 32768 is written back as k", "[audio]") {
  std::vector<float> values;
  for (int k = -32768; k <= 32767; ++k) values.push_back(static_cast<float>(k) / 32768.0f);
  std::vector<std::int32_t> samples(values.size());
  PcmQuantizer quantizer(16);
  quantizer.convert(values.data(), samples.data(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::int32_t k = static_cast<std::int32_t>(i) - 32768;
    INFO("k = " << k);
    REQUIRE(samples[i] == static_cast<std::int32_t>(static_cast<std::uint32_t>(k) << 16));
  }
  REQUIRE(quantizer.clipped() == 0);
}

TEST_CASE("PCM: values beyond full scale clip to the extremes and are counted", "[audio]") {
  const float inf = std::numeric_limits<float>::infinity();
  const float values[] = {1.0f, -1.0f, 1.5f, -1.5f, inf, -inf, std::nanf(""), 0.5f, 1.00001f};
  std::int32_t samples[9];
  PcmQuantizer quantizer(24);
  quantizer.convert(values, samples, 9);
  const std::int32_t top = 8388607 * 256, bottom = -8388608 * 256;
  const std::int32_t expected[] = {top, bottom, top, bottom, top, bottom, 0, 4194304 * 256, top};
  for (int i = 0; i < 9; ++i) {
    INFO("value " << i);
    REQUIRE(samples[i] == expected[i]);
  }
  // 1.0 is full scale (written as the top sample, not counted); the four beyond it,
  // the infinities included, and 1.00001 are.
  REQUIRE(quantizer.clipped() == 5);
  REQUIRE(quantizer.nans() == 1);
}

TEST_CASE("PCM: 16-bit rounding to nearest", "[audio]") {
  // 0.1 * 32768 = 3276.8 -> 3277; -0.1 -> -3277; 1/65536 * 32768 = 0.5 -> 0 (ties to even).
  const float values[] = {0.1f, -0.1f, 1.0f / 65536, 3.0f / 65536};
  std::int32_t samples[4];
  PcmQuantizer quantizer(16);
  quantizer.convert(values, samples, 4);
  REQUIRE(samples[0] == 3277 * 65536);
  REQUIRE(samples[1] == -3277 * 65536);
  REQUIRE(samples[2] == 0);
  REQUIRE(samples[3] == 2 * 65536);
}
