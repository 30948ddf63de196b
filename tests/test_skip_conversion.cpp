// The converter's side of skip connections: the conversion check's double
// reference adds the stated skip to whatever layout it evaluates, so a file
// written without the skip (or with a wrong one) differs from it; canonicalize
// carries the skip to the written model.
#include <catch2/catch.hpp>
#include <random>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/source_reference.hpp"

using namespace grurt::convert;

namespace {

void add(TensorMap& tensors, const std::string& name, std::vector<std::int64_t> shape) {
  SourceTensor t;
  t.shape = shape;
  t.dtype = "F32";
  std::mt19937 rng(31 + static_cast<unsigned>(tensors.size()));
  std::uniform_real_distribution<float> uniform(-0.5f, 0.5f);
  t.values.resize(static_cast<std::size_t>(t.numel()));
  for (float& v : t.values) v = uniform(rng);
  tensors[name] = t;
}

// The amp models' state_dict: rec = nn.GRU(I, H), lin = nn.Linear(H, O).
TensorMap amp_tensors(std::int64_t I, std::int64_t H, std::int64_t O) {
  TensorMap t;
  add(t, "rec.weight_ih_l0", {3 * H, I});
  add(t, "rec.weight_hh_l0", {3 * H, H});
  add(t, "rec.bias_ih_l0", {3 * H});
  add(t, "rec.bias_hh_l0", {3 * H});
  add(t, "lin.weight", {O, H});
  add(t, "lin.bias", {O});
  return t;
}

}  // namespace

TEST_CASE("The source reference adds the stated input skip to the layout's own output", "[skip][convert]") {
  // Two inputs (sample and a knob, as conditioned amp models have), one output: y = net(x) + x[0].
  const TensorMap tensors = amp_tensors(2, 6, 1);
  const SourceModel plain = recognize_layout(tensors, {});
  REQUIRE_FALSE(plain.skip);
  SourceModel skipped = plain;
  skipped.skip = SkipSpec{};
  auto without = make_source_reference(plain, tensors);
  auto with = make_source_reference(skipped, tensors);
  const std::vector<std::vector<double>> inputs = {{0.5, -2.0}, {-0.25, 3.0}, {0.75, 0.125}};
  for (const auto& x : inputs) {
    const double y0 = without->step(x).at(0);
    REQUIRE(with->step(x).at(0) == Approx(y0 + x[0]).margin(1e-12));
  }
}

TEST_CASE("canonicalize carries the skip to the canonical model", "[skip][convert]") {
  const TensorMap tensors = amp_tensors(1, 4, 1);
  SourceModel source = recognize_layout(tensors, {});
  source.skip = SkipSpec{true, 0, 0};
  const CanonicalModel model = canonicalize(source, tensors);
  REQUIRE(model.skip);
  REQUIRE(model.skip->from_input);
  source.skip.reset();
  REQUIRE_FALSE(canonicalize(source, tensors).skip);
}

TEST_CASE("A skip from a layer's output is refused by the reference, not silently left out", "[skip][convert]") {
  const TensorMap tensors = amp_tensors(1, 4, 1);
  SourceModel source = recognize_layout(tensors, {});
  source.skip = SkipSpec{false, 0, 0};
  REQUIRE_THROWS_WITH(make_source_reference(source, tensors),
                      Catch::Contains("evaluates a skip from the model input only"));
}
