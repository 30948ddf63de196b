// One Model shared by many sessions on several threads (the documented
// contract: a loaded model is immutable and shareable; each session belongs
// to one thread at a time). Run under ThreadSanitizer by scripts/test.sh.
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "grurt/grurt.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

constexpr int kThreads = 4;
constexpr int kSessionsPerThread = 3;
constexpr std::size_t kSteps = 40;

std::vector<float> stream_inputs(int stream, std::uint32_t width) {
  std::mt19937 rng(1000 + stream);
  return random_values(rng, kSteps * width, 1.0f);
}

// Streams `inputs` through a fresh session: first half by step(), second by run().
std::vector<float> stream(const Model& model, Isa isa, const std::vector<float>& inputs) {
  AlignedBytes arena(std::vector<std::uint8_t>(model.arena_bytes()));
  Session session;
  std::vector<float> outputs(kSteps * model.output_size());
  if (session.init(model, arena.data(), arena.size(), isa) != Status::kOk) return {};
  const std::size_t half = kSteps / 2;
  for (std::size_t t = 0; t < half; ++t) {
    if (session.step(&inputs[t * model.input_size()], &outputs[t * model.output_size()]) != Status::kOk) return {};
  }
  if (session.run(&inputs[half * model.input_size()], &outputs[half * model.output_size()], kSteps - half) !=
      Status::kOk) {
    return {};
  }
  return outputs;
}

}  // namespace

TEST_CASE("Sessions on several threads share one Model and match single-threaded runs bit for bit", "[threads]") {
  std::mt19937 rng(5);
  const CanonicalModel spec = stacked_model(6, {{"", random_gru(rng, 6, 24, true)},
                                                {"", random_gru(rng, 24, 17, false)},
                                                {"", random_dense(rng, 17, 3, Activation::kSoftmax)}});
  AlignedBytes bytes(convert::write_model(spec));
  Model model;
  REQUIRE(model.load(bytes.data(), bytes.size()) == Status::kOk);

  for (Isa isa : {Isa::kScalar, best_isa()}) {
    const int streams = kThreads * kSessionsPerThread;
    std::vector<std::vector<float>> expected(streams);
    for (int s = 0; s < streams; ++s) expected[s] = stream(model, isa, stream_inputs(s, model.input_size()));

    std::vector<std::vector<float>> got(streams);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        // Each thread initialises its own sessions: init() itself must be thread-safe.
        for (int k = 0; k < kSessionsPerThread; ++k) {
          const int s = t * kSessionsPerThread + k;
          got[s] = stream(model, isa, stream_inputs(s, model.input_size()));
        }
      });
    }
    for (auto& thread : threads) thread.join();
    for (int s = 0; s < streams; ++s) {
      INFO("isa " << isa_name(isa) << ", stream " << s);
      REQUIRE(!expected[s].empty());
      REQUIRE(got[s].size() == expected[s].size());
      REQUIRE(std::memcmp(got[s].data(), expected[s].data(), got[s].size() * sizeof(float)) == 0);
    }
  }
}
