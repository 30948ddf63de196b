// Counts every heap allocation in this process and asserts that Model::load,
// Session::init and Session::step make none. Built as its own binary because
// it replaces the global allocation functions.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>
#include <random>

#include "support/random_models.hpp"
#include "grurt_convert/model_writer.hpp"

namespace {
std::size_t g_allocations = 0;
}

// glibc lets a program replace malloc and reach its own through __libc_*, so
// there the C heap is counted too. Elsewhere (Windows: malloc lives in the C
// runtime's DLL) only the C++ heap is; the runtime's symbol check
// (check_runtime_symbols.sh) still shows that it calls no malloc.
#if defined(__GLIBC__)
#define GRURT_COUNTS_MALLOC 1
extern "C" void* __libc_malloc(std::size_t);
extern "C" void* __libc_calloc(std::size_t, std::size_t);
extern "C" void* __libc_realloc(void*, std::size_t);

extern "C" void* malloc(std::size_t size) {
  ++g_allocations;
  return __libc_malloc(size);
}
extern "C" void* calloc(std::size_t count, std::size_t size) {
  ++g_allocations;
  return __libc_calloc(count, size);
}
extern "C" void* realloc(void* p, std::size_t size) {
  ++g_allocations;
  return __libc_realloc(p, size);
}
#define GRURT_UNCOUNTED_MALLOC __libc_malloc
#else
#define GRURT_COUNTS_MALLOC 0
#define GRURT_UNCOUNTED_MALLOC std::malloc
#endif
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = GRURT_UNCOUNTED_MALLOC(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace grurt;
using namespace grurt::test;

TEST_CASE("The counter sees allocations (so a zero below means something)", "[alloc]") {
  const std::size_t before = g_allocations;
  auto* p = new int(3);
  void* q = std::malloc(16);
  REQUIRE(g_allocations == before + 1 + GRURT_COUNTS_MALLOC);
  delete p;
  std::free(q);
}

TEST_CASE("load, init, step, run, reset and state calls allocate nothing, every layer kind and weight type",
          "[alloc]") {
  std::mt19937 rng(5);
  // Every recurrent kind: GRU both ways, an LSTM with peephole and projection, an RNN.
  CanonicalModel spec = stacked_model(3, {{"", random_gru(rng, 3, 20, true)},
                                          {"", random_lstm(rng, 20, 11, {true, true, 7})},
                                          {"", random_rnn(rng, 7, 8, Activation::kTanh)},
                                          {"", random_gru(rng, 8, 9, false)},
                                          {"", ActivationSpec{9, Activation::kTanh}},
                                          {"", random_dense(rng, 9, 4, Activation::kSoftmax)}});
  // f32, f16 and int8 weight matrices (int8 quantizes each product's input into the arena).
  for (ElementType type : {ElementType::kF32, ElementType::kF16, ElementType::kI8}) {
    INFO(element_type_name(type));
    spec.weight_type = type;
    AlignedBytes bytes(convert::write_model(spec));
    AlignedBytes arena(std::vector<std::uint8_t>(64 * 1024));
    std::vector<float> input(3, 0.25f), output(4), state(20 + 7 + 11 + 8 + 9), block_in(5 * 3, 0.5f),
        block_out(5 * 4);
    Model model;
    Session session;

    // No Catch2 macro inside the counted window: they may allocate themselves.
    Status statuses[8];
    bool steps_ok = true;
    const std::size_t before = g_allocations;
    statuses[0] = model.load(bytes.data(), bytes.size());
    statuses[1] = session.init(model, arena.data(), model.arena_bytes());
    for (int t = 0; t < 100; ++t) steps_ok = steps_ok && session.step(input.data(), output.data()) == Status::kOk;
    steps_ok = steps_ok && session.run(block_in.data(), block_out.data(), 5) == Status::kOk;
    statuses[2] = session.read_state(state.data(), state.size());
    statuses[3] = session.write_state(state.data(), state.size());
    statuses[4] = session.reset();
    // Error paths format messages; they must not allocate either.
    statuses[5] = session.step(nullptr, output.data());
    statuses[6] = session.write_state(state.data(), 1);
    statuses[7] = model.load(bytes.data() + 1, bytes.size() - 1);
    const std::size_t during = g_allocations - before;
    for (int i = 0; i < 5; ++i) REQUIRE(statuses[i] == Status::kOk);
    REQUIRE(steps_ok);
    REQUIRE(statuses[5] == Status::kNullArgument);
    REQUIRE(statuses[6] == Status::kSizeMismatch);
    REQUIRE(statuses[7] == Status::kBadIdentifier);
    REQUIRE(during == 0);
  }
}
