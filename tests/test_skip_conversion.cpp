// The converter's side of skip connections: the conversion check's double
// reference adds the stated skip to whatever layout it evaluates, so a file
// written without the skip (or with a wrong one) differs from it; canonicalize
// carries the skip to the written model.
#include <catch2/catch.hpp>
#include <random>

#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/source_reference.hpp"
#include "support/random_tensors.hpp"

using namespace grurt::convert;
using grurt::test::add_random_tensor;

namespace {

// The amp models' state_dict: rec = nn.GRU(I, H), lin = nn.Linear(H, O).
TensorMap amp_tensors(std::int64_t I, std::int64_t H, std::int64_t O) {
  TensorMap t;
  add_random_tensor(t, "rec.weight_ih_l0", {3 * H, I}, 31);
  add_random_tensor(t, "rec.weight_hh_l0", {3 * H, H}, 31);
  add_random_tensor(t, "rec.bias_ih_l0", {3 * H}, 31);
  add_random_tensor(t, "rec.bias_hh_l0", {3 * H}, 31);
  add_random_tensor(t, "lin.weight", {O, H}, 31);
  add_random_tensor(t, "lin.bias", {O}, 31);
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
