// The list of layer kinds and the list of ISAs: every entry is complete and
// consistent, so adding a kind or an ISA cannot half-work.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "kernels/cpu_features.hpp"
#include "kernels/isa_list.hpp"
#include "layers/layer_kind.hpp"
#include "support/random_models.hpp"

using namespace grurt;
using namespace grurt::test;

namespace {

// A small model whose first layer is of `kind`, or an empty model for a kind
// these tests do not know how to build yet (which fails the test below).
CanonicalModel model_starting_with(LayerKind kind, std::mt19937& rng) {
  switch (kind) {
    case LayerKind::kGru: return stacked_model(3, {{"", random_gru(rng, 3, 5, true)}});
    case LayerKind::kRnn: return stacked_model(3, {{"", random_rnn(rng, 3, 5, Activation::kTanh)}});
    case LayerKind::kDense: return stacked_model(3, {{"", random_dense(rng, 3, 5, Activation::kRelu)}});
    case LayerKind::kActivation: return stacked_model(3, {{"", ActivationSpec{3, Activation::kTanh}}});
    case LayerKind::kLstm: return stacked_model(3, {{"", random_lstm(rng, 3, 5, {})}});
  }
  return {};
}

}  // namespace

TEST_CASE("Every layer kind in the list is complete: name, schema type, reader, step, a model that runs",
          "[kinds]") {
  std::size_t count = 0;
  const detail::LayerKindOps* const* kinds = detail::all_kinds(&count);
  REQUIRE(count == static_cast<std::size_t>(LayerKind::kLstm) + 1);  // every LayerKind value is listed
  std::set<std::string> names;
  std::set<int> stored;
  for (std::size_t i = 0; i < count; ++i) {
    const detail::LayerKindOps& kind = *kinds[i];
    INFO("kind " << i << " (" << kind.name << ")");
    REQUIRE(static_cast<std::size_t>(kind.kind) == i);  // listed in LayerKind order
    REQUIRE(&detail::kind_ops(kind.kind) == &kind);
    REQUIRE(detail::find_kind(kind.stored) == &kind);
    REQUIRE(std::string(layer_kind_name(kind.kind)) == kind.name);
    REQUIRE(names.insert(kind.name).second);
    REQUIRE(stored.insert(static_cast<int>(kind.stored)).second);
    REQUIRE(kind.read != nullptr);
    REQUIRE(kind.needs != nullptr);
    REQUIRE(kind.step != nullptr);
    REQUIRE((kind.project == nullptr) == (kind.recur == nullptr));  // a block step needs both halves
    std::mt19937 rng(static_cast<unsigned>(i));
    const CanonicalModel model = model_starting_with(kind.kind, rng);
    REQUIRE_FALSE(model.layers.empty());
    auto loaded = load_model(model);
    REQUIRE(loaded->model.layer(0).kind == kind.kind);
    const detail::LayerNeeds needs = kind.needs(loaded->model.layer(0));
    REQUIRE(loaded->model.state_size() == needs.state[0] + needs.state[1]);
    REQUIRE((kind.project != nullptr) == (needs.projection != 0));
    std::vector<float> output(model.output_size());
    const std::vector<float> input = {0.5f, -0.25f, 1.0f};
    REQUIRE(loaded->session.step(input.data(), output.data()) == Status::kOk);
    REQUIRE(loaded->session.run(input.data(), output.data(), 1) == Status::kOk);
  }
  REQUIRE(std::string(layer_kind_name(static_cast<LayerKind>(count))) == "unknown");
}

TEST_CASE("Every ISA in the list has a unique name that round-trips and kAuto prefers the best available", "[kernels][isa]") {
  std::size_t count = 0;
  const kernels::IsaEntry* entries = kernels::isa_entries(&count);
  REQUIRE(count == known_isa_count());
  std::set<std::string> names;
  for (std::size_t i = 0; i < count; ++i) {
    const kernels::IsaEntry& entry = entries[i];
    INFO(entry.name);
    REQUIRE(known_isa(i) == entry.isa);
    REQUIRE(names.insert(entry.name).second);
    Isa parsed = Isa::kAuto;
    REQUIRE(isa_from_name(entry.name, &parsed));
    REQUIRE(parsed == entry.isa);
    REQUIRE(std::string(isa_name(entry.isa)) == entry.name);
    REQUIRE(kernels::kernels_for(entry.isa) == entry.table);
    if (entry.table != nullptr) {
      REQUIRE(entry.table->isa == entry.isa);
      REQUIRE(entry.table->matrix[static_cast<int>(ElementType::kF32)].gemv != nullptr);
      REQUIRE(entry.table->matrix[static_cast<int>(ElementType::kF32)].gemm != nullptr);
    }
    if (isa_available(entry.isa)) {
      REQUIRE(entries[i].preference <= kernels::isa_entry(best_isa())->preference);
    }
  }
  Isa parsed = Isa::kScalar;
  REQUIRE_FALSE(isa_from_name("sse9", &parsed));
  REQUIRE(known_isa(count) == Isa::kAuto);
}

// Under qemu-user, tests/CMakeLists.txt runs this with QEMU_CPU set to a core
// without (cortex-a53) and with (max) the AArch64 dot-product and int8 matrix
// extensions, and GRURT_EXPECT_ARM_DOTPROD saying which: the run-time
// detection (getauxval) must see the difference.
TEST_CASE("CPU features come from the OS at run time", "[kernels][isa][cpu]") {
  const kernels::CpuFeatures cpu = kernels::cpu_features();
  WARN("cpu features: avx2+fma " << cpu.avx2_fma << ", avx_vnni " << cpu.avx_vnni << ", avx512f " << cpu.avx512f << ", avx512_vnni " << cpu.avx512_vnni
                                  << ", neon " << cpu.neon << ", dotprod " << cpu.dotprod << ", i8mm " << cpu.i8mm);
#if defined(__aarch64__)
  REQUIRE(cpu.neon);  // Advanced SIMD is part of every AArch64 core
#endif
#if defined(__x86_64__) || defined(_M_X64)
  REQUIRE_FALSE(cpu.neon);
  if (cpu.avx512f) REQUIRE(cpu.avx2_fma);
  // The ISAs Linux's /proc/cpuinfo says this CPU and OS run, from
  // tests/check_isas_match_cpuinfo.sh: the same on Linux and under Wine.
  const char* x86_isas = std::getenv("GRURT_EXPECT_X86_ISAS");
  if (x86_isas != nullptr) {
    std::istringstream words(x86_isas);
    std::set<std::string> expected{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
    for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvxVnni, Isa::kAvx512, Isa::kAvx512Vnni}) {
      INFO(isa_name(isa));
      REQUIRE(isa_available(isa) == (expected.count(isa_name(isa)) == 1));
    }
  }
#endif
  const char* expected = std::getenv("GRURT_EXPECT_ARM_DOTPROD");
  if (expected != nullptr) {
    const bool with = std::string(expected) == "1";
    REQUIRE(cpu.dotprod == with);
    REQUIRE(cpu.i8mm == with);
    REQUIRE(isa_available(Isa::kNeonDotprod) == with);  // the sdot kernels run where, and only where, it is
  }
}
