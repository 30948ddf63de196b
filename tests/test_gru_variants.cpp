// GRU activation variants (schema GruLayer candidate_activation, gate_activation):
// every SIMD table against scalar, scalar bit for bit against the float
// reference, every ISA against the double reference, run() against step(),
// the file fields and the load refusals.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>

#include "grurt/grurt_generated.h"
#include "grurt_convert/model_writer.hpp"
#include "kernels/kernel_table.hpp"
#include "support/compare.hpp"
#include "support/gate_checks.hpp"
#include "support/kernel_buffers.hpp"
#include "support/random_models.hpp"
#include "support/reference_float.hpp"
#include "support/reference_gru.hpp"

using namespace grurt;
using namespace grurt::test;
using grurt::kernels::GruActivations;
using grurt::kernels::KernelTable;

namespace {

struct Variant {
  const char* name;
  Activation candidate;
  GateActivation gates;
  float slope;
  float offset;
};

// RNNoise (relu candidate), Keras before 2.3 and Keras 3 hard_sigmoid gates, and both at once.
const Variant kVariants[] = {
    {"relu candidate", Activation::kRelu, GateActivation::kSigmoid, 0.2f, 0.5f},
    {"hard_sigmoid 0.2x+0.5", Activation::kTanh, GateActivation::kHardSigmoid, 0.2f, 0.5f},
    {"hard_sigmoid x/6+0.5", Activation::kTanh, GateActivation::kHardSigmoid, 1.0f / 6.0f, 0.5f},
    {"relu candidate, hard_sigmoid 0.2x+0.5", Activation::kRelu, GateActivation::kHardSigmoid, 0.2f, 0.5f},
};

GruSpec with_variant(GruSpec gru, const Variant& v) {
  gru.candidate_activation = v.candidate;
  gru.gate_activation = v.gates;
  gru.hard_sigmoid_slope = v.slope;
  gru.hard_sigmoid_offset = v.offset;
  return gru;
}

GruActivations activations_of(const Variant& v) {
  GruActivations a;
  a.hard_gates = v.gates == GateActivation::kHardSigmoid;
  a.slope = v.slope;
  a.offset = v.offset;
  a.relu_candidate = v.candidate == Activation::kRelu;
  return a;
}

}  // namespace

TEST_CASE("GRU gate kernels on every ISA equal the scalar ones, default and variants", "[kernels][gru][variants]") {
  const KernelTable& scalar = kernels::scalar_kernels();
  std::vector<std::pair<std::string, GruActivations>> cases = {{"sigmoid gates, tanh candidate", GruActivations{}}};
  for (const Variant& v : kVariants) cases.emplace_back(v.name, activations_of(v));
  for (Isa isa : simd_isas_to_test()) {
    const KernelTable& simd = *kernels::kernels_for(isa);
    for (const auto& [name, a] : cases) {
      // Sizes that are not multiples of any vector width, so the padded lanes are exercised.
      for (std::uint32_t H : {1u, 3u, 4u, 5u, 7u, 8u, 9u, 13u, 16u, 17u, 23u, 31u, 33u, 47u, 64u, 100u}) {
        const std::uint32_t hp = (H + 15) / 16 * 16;
        std::mt19937 rng(H * 31 + static_cast<unsigned>(a.relu_candidate) + (a.hard_gates ? 2u : 0u));
        Floats gx(3 * hp), gh(3 * hp), h(hp), h_scalar(hp), rh(hp), rh_scalar(hp);
        fill(rng, gx.data(), 3 * hp, 6.0f);  // beyond both clip points and into tanh saturation
        fill(rng, gh.data(), 3 * hp, 6.0f);
        fill(rng, h.data(), hp, 1.0f);
        std::copy(h.data(), h.data() + hp, h_scalar.data());
        std::ostringstream context;
        context << isa_name(isa) << " " << name << " H=" << H;
        // A relu candidate is unbounded (|n| up to 12 here) and the SIMD paths fuse
        // h = n + z * (h - n) into one FMA, so they may differ from scalar by a
        // couple of ulps of n (about 1e-6 each), not of h; tanh keeps |n| <= 1.
        const double tolerance = a.relu_candidate ? 4e-6 : 1e-6;
        scalar.gru_update_reset_after(gx.data(), gh.data(), hp, H, a, h_scalar.data());
        simd.gru_update_reset_after(gx.data(), gh.data(), hp, H, a, h.data());
        require_near(h.data(), h_scalar.data(), H, tolerance, context.str() + " reset_after");
        scalar.gru_reset_hidden(gx.data(), gh.data(), h.data(), H, a, rh_scalar.data());
        simd.gru_reset_hidden(gx.data(), gh.data(), h.data(), H, a, rh.data());
        require_near(rh.data(), rh_scalar.data(), H, 1e-6, context.str() + " reset_hidden");
        std::copy(h.data(), h.data() + hp, h_scalar.data());
        scalar.gru_update_reset_before(gx.data(), gh.data(), hp, H, a, h_scalar.data());
        simd.gru_update_reset_before(gx.data(), gh.data(), hp, H, a, h.data());
        require_near(h.data(), h_scalar.data(), H, tolerance, context.str() + " reset_before");
      }
    }
  }
}

TEST_CASE("GRU hard_sigmoid gates clip at 0 and 1 and pass NaN on every ISA", "[kernels][gru][variants]") {
  std::vector<Isa> isas = isas_to_test();
  // r = z = hard_sigmoid(gx + gh) with gh = 0; h = 1, so reset_hidden gives r itself.
  for (Isa isa : isas) {
    const KernelTable& k = isa == Isa::kScalar ? kernels::scalar_kernels() : *kernels::kernels_for(isa);
    Floats gx(16), gh(16), h(16), rh(16);
    std::memcpy(gx.data(), kHardSigmoidInputs, sizeof kHardSigmoidInputs);
    for (int i = 0; i < 16; ++i) gh.data()[i] = 0.0f, h.data()[i] = 1.0f;
    k.gru_reset_hidden(gx.data(), gh.data(), h.data(), 16, activations_of(kVariants[1]), rh.data());
    require_keras2_hard_sigmoid(rh.data(), isa_name(isa));
  }
}

TEST_CASE("GRU variants: the scalar ISA equals the row-major float reference bit for bit", "[gru][variants]") {
  for (const Variant& v : kVariants) {
    for (std::uint32_t H : {1u, 7u, 17u, 40u}) {
      for (bool reset_after : {true, false}) {
        std::mt19937 rng(H * 10 + reset_after);
        const CanonicalModel model =
            stacked_model(3, {{"", with_variant(random_gru(rng, 3, H, reset_after), v)},
                              {"", with_variant(random_gru(rng, H, 6, !reset_after), v)},
                              {"", random_dense(rng, 6, 4, Activation::kIdentity)}});
        const auto inputs = random_values(rng, 20 * 3, 2.0f);
        auto loaded = load_model(model, Isa::kScalar);
        INFO(v.name << " H=" << H << (reset_after ? " reset after" : " reset before"));
        REQUIRE(run_steps(loaded->session, inputs, 3, 4) == row_major_float_outputs(model, inputs));
      }
    }
  }
}

TEST_CASE("GRU variant stacks on every ISA match the double reference", "[kernels][gru][variants]") {
  std::vector<Isa> isas = isas_to_test();
  struct Shape {
    std::uint32_t I, H1, H2;
    bool reset_after;
  };
  const Shape shapes[] = {{1, 1, 0, true}, {1, 8, 0, false}, {3, 7, 5, false}, {5, 17, 9, true}, {16, 64, 0, true},
                          {2, 33, 31, false}, {8, 100, 0, true}};
  for (Isa isa : isas) {
    for (const Variant& v : kVariants) {
      for (const Shape& s : shapes) {
        std::mt19937 rng(s.I * 100 + s.H1);
        std::vector<convert::LayerSpec> layers = {{"", with_variant(random_gru(rng, s.I, s.H1, s.reset_after), v)}};
        std::uint32_t width = s.H1;
        if (s.H2 != 0) {
          // A default GRU above a variant one: each layer keeps its own activations.
          layers.push_back({"", random_gru(rng, s.H1, s.H2, !s.reset_after)});
          width = s.H2;
        }
        layers.push_back({"", random_dense(rng, width, 3, Activation::kIdentity)});
        const CanonicalModel model = stacked_model(s.I, layers);
        const auto inputs = random_values(rng, 24u * s.I, 2.0f);
        auto loaded = load_model(model, isa);
        REQUIRE(loaded->session.isa() == isa);
        std::ostringstream context;
        context << isa_name(isa) << " " << v.name << " I=" << s.I << " H=" << s.H1 << "," << s.H2;
        require_close(run_steps(loaded->session, inputs, s.I, 3), reference_outputs(model, inputs), 1e-5,
                      context.str());
      }
    }
  }
}

TEST_CASE("GRU variants: a variant changes the outputs (the fields are not ignored)", "[gru][variants]") {
  std::mt19937 rng(5);
  const GruSpec plain = random_gru(rng, 3, 9, true);
  const auto inputs = random_values(rng, 10 * 3, 2.0f);
  auto base = load_model(single_layer_model(plain), Isa::kScalar);
  const auto plain_outputs = run_steps(base->session, inputs, 3, 9);
  for (const Variant& v : kVariants) {
    auto loaded = load_model(single_layer_model(with_variant(plain, v)), Isa::kScalar);
    INFO(v.name);
    REQUIRE(run_steps(loaded->session, inputs, 3, 9) != plain_outputs);
  }
}

TEST_CASE("GRU variants: run() equals repeated step() bit for bit on every ISA", "[kernels][gru][variants][run]") {
  std::vector<Isa> isas = isas_to_test();
  for (Isa isa : isas) {
    for (const Variant& v : kVariants) {
      for (bool reset_after : {true, false}) {
        std::mt19937 rng(11);
        const CanonicalModel model = stacked_model(
            4, {{"", with_variant(random_gru(rng, 4, 19, reset_after), v)}, {"", random_dense(rng, 19, 2, Activation::kIdentity)}});
        for (std::size_t steps : {1u, 3u, 4u, 5u, 9u}) {
          const auto inputs = random_values(rng, steps * 4, 1.5f);
          std::ostringstream context;
          context << isa_name(isa) << ", " << v.name << (reset_after ? ", reset after" : ", reset before");
          require_run_equals_steps(model, isa, inputs, steps, context.str());
        }
      }
    }
  }
}
