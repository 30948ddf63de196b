// grurt-bench: speed of one model's step() (or run() blocks, or a
// BatchSession of several streams) on this machine, against the machine's own
// bound for that model's weights and FLOPs with the ISA that ran; or, with
// --kind, of one-layer GRU / LSTM models with random weights at the README's sizes.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "grurt/grurt.hpp"
#include "machine_bound.hpp"
#include "model_file.hpp"
#include "random_cell.hpp"
#include "session_timing.hpp"
#include "tool_main.hpp"
#include "weight_bytes.hpp"

namespace {

// "auto, scalar, avx2, ...": the runtime's own list of ISAs.
std::string isa_choices() {
  std::string choices = "auto";
  for (std::size_t i = 0; i < grurt::known_isa_count(); ++i) choices += std::string(", ") + grurt::isa_name(grurt::known_isa(i));
  return choices;
}

grurt::Isa parse_isa(const std::string& name) {
  grurt::Isa isa = grurt::Isa::kAuto;
  if (name == "auto" || grurt::isa_from_name(name.c_str(), &isa)) return isa;
  throw std::runtime_error("unknown ISA '" + name + "' (" + isa_choices() + ")");
}

// How each model is timed: the command line's --isa, --steps, --repetitions, --block, --streams.
struct TimingOptions {
  std::string isa = "auto";
  std::size_t steps = 0;  // 0: calibrated to about 20 ms per repetition
  int repetitions = 11;
  std::size_t block = 1;
  std::uint32_t streams = 1;  // > 1: a BatchSession of that many streams, timed per step of all of them
};


// Per step (with streams: per step of all of them), whether timed through
// step(), run() blocks or a BatchSession.
struct ModelTiming {
  grurt::Isa isa = grurt::Isa::kAuto;
  std::size_t calls = 0;
  double per_step_ns = 0, min_ns = 0, max_ns = 0;
};

ModelTiming per_step_of(const grurt::bench::CallTiming& timed, double steps_per_call) {
  return {timed.isa, timed.calls, timed.per_call.median_ns / steps_per_call, timed.per_call.min_ns / steps_per_call,
          timed.per_call.max_ns / steps_per_call};
}

grurt::bench::TimingRequest request_of(const TimingOptions& options) {
  return {parse_isa(options.isa), options.steps, options.repetitions};
}

// A session on `model` timed through step() (block 1) or run() blocks; with
// options.streams > 1, a BatchSession.
ModelTiming time_model(const grurt::Model& model, const TimingOptions& options) {
  if (options.streams > 1) return per_step_of(grurt::bench::time_batch(model, request_of(options), options.streams), 1.0);
  return per_step_of(grurt::bench::time_session(model, request_of(options), options.block),
                  static_cast<double>(options.block));
}

std::string call_text(const TimingOptions& options) {
  if (options.streams > 1) return "BatchSession::step() of " + std::to_string(options.streams) + " streams";
  return options.block == 1 ? "step()" : "run() blocks of " + std::to_string(options.block) + " steps";
}

// Bytes of weights read per timed step (with streams: per step of all of
// them), in units of the stored weights: 1 for step(); for run() blocks of B
// steps, the input matrices once per pass of streams_per_pass() steps and the
// rest every step; for N streams, every weight once per pass of that many streams.
double reads_per_step(const TimingOptions& options, const grurt::tools::WeightBytes& bytes) {
  const std::size_t per_pass = grurt::BatchSession::streams_per_pass();
  if (options.streams > 1) return static_cast<double>((options.streams + per_pass - 1) / per_pass);
  if (options.block == 1 || bytes.stored == 0) return 1.0;
  const double passes = static_cast<double>((options.block + per_pass - 1) / per_pass);
  const double input = static_cast<double>(bytes.input_matrices), all = static_cast<double>(bytes.stored);
  return (all - input + input * passes / static_cast<double>(options.block)) / all;
}

// The bound is measured with AVX2 or AVX-512 code on x86 (only meaningful
// where the CPU has AVX2), with scalar code elsewhere.
bool bound_measurable() {
  return grurt::isa_available(grurt::Isa::kAvx2) || std::string(grurt::bench::bound_isa()) == "scalar";
}

int bench_file(const std::string& path, const TimingOptions& options) {
  grurt::tools::LoadedModel loaded;
  grurt::tools::load_model_file(path, loaded);
  const grurt::Model& model = loaded.model;
  const ModelTiming timing = time_model(model, options);
  const double per_step = timing.per_step_ns;  // with streams: one step of all of them
  const grurt::tools::WeightBytes bytes = grurt::tools::weight_bytes(model);
  const double weight_bytes = static_cast<double>(bytes.stored);
  const double streams = options.streams;
  const double flops = 2.0 * static_cast<double>(model.parameters()) * streams;

  std::printf("grurt-bench %s: %s\n", grurt::kVersion, path.c_str());
  std::printf("isa %s, %s, %zu calls x %d repetitions\n", grurt::isa_name(timing.isa), call_text(options).c_str(),
              timing.calls, options.repetitions);
  std::printf("model: %u -> %u, %u layers, %llu parameters (%.0f bytes of weights, matrices %s)\n\n",
              model.input_size(), model.output_size(), model.num_layers(),
              static_cast<unsigned long long>(model.parameters()), weight_bytes, bytes.matrix_type);
  std::printf("| %-22s | %12s | %12s | %12s |\n", options.streams > 1 ? "per step of all streams" : "per step",
              "median", "min", "max");
  std::printf("|%s|%s|%s|%s|\n", "------------------------", "--------------", "--------------", "--------------");
  std::printf("| %-22s | %12.1f | %12.1f | %12.1f |\n", "ns", per_step, timing.min_ns, timing.max_ns);
  std::printf("| %-22s | %12.2f | %12.2f | %12.2f |\n", "GFLOP/s", flops / per_step, flops / timing.max_ns,
              flops / timing.min_ns);
  if (bound_measurable()) {
    // Per step: the weights read as reads_per_step says, the FLOPs of every stream.
    const double read = weight_bytes * reads_per_step(options, bytes);
    const double bandwidth = grurt::bench::read_bandwidth_gbs(static_cast<std::size_t>(weight_bytes), timing.isa);
    const double peak = grurt::bench::peak_gflops(timing.isa);
    const double bound = std::max(read / bandwidth, flops / peak);
    std::printf("\nmachine bound (%s): read %.1f GB/s at this footprint, peak %.1f GFLOP/s -> %.1f ns/step; "
                "grurt at %.2fx the bound\n",
                grurt::bench::bound_isa(timing.isa), bandwidth, peak, bound, per_step / bound);
  }
  if (options.streams > 1) {
    const ModelTiming in_turn = per_step_of(grurt::bench::time_sessions_in_turn(model, request_of(options), options.streams), 1.0);
    std::printf("\n%u Sessions stepped one after another: %.1f ns per step of all; the batch is %.2fx faster "
                "(%.0f stream steps/s against %.0f)\n",
                options.streams, in_turn.per_step_ns, in_turn.per_step_ns / per_step, streams * 1e9 / per_step,
                streams * 1e9 / in_turn.per_step_ns);
  }
  std::printf("median_ns_per_step=%.1f\n", per_step);
  return 0;
}

std::vector<grurt::bench::CellKind> parse_kinds(const std::string& text) {
  using grurt::bench::CellKind;
  if (text == "gru") return {CellKind::kGru};
  if (text == "lstm") return {CellKind::kLstm};
  return {CellKind::kGru, CellKind::kLstm};  // "all"; CLI11 let only the three through
}

// "16x64" -> I = 16, H = 64: two numbers of digits only, each 1..4096 (a
// bench size, far below what would exhaust memory).
grurt::bench::CellSize parse_size(const std::string& text) {
  const std::size_t x = text.find('x');
  auto number = [&](const std::string& digits) {
    if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string::npos) return 0u;
    const auto value = static_cast<unsigned>(std::stoul(digits));
    return value <= 4096 ? value : 0u;
  };
  const unsigned input = x == std::string::npos ? 0u : number(text.substr(0, x));
  const unsigned hidden = x == std::string::npos ? 0u : number(text.substr(x + 1));
  if (input == 0 || hidden == 0) throw std::runtime_error("size '" + text + "' is not IxH with I and H in 1..4096 (e.g. 16x64)");
  return {input, hidden};
}

// One Markdown row per (kind, size): a one-layer model with random weights,
// timed as a model file is, beside the bound for its weights.
std::vector<grurt::ElementType> parse_weight_types(const std::string& text) {
  if (text == "f16") return {grurt::ElementType::kF16};
  if (text == "int8") return {grurt::ElementType::kI8};
  if (text == "all") return {grurt::ElementType::kF32, grurt::ElementType::kF16, grurt::ElementType::kI8};
  return {grurt::ElementType::kF32};  // CLI11 let only f32, f16, int8 and all through
}

int bench_cells(const std::string& kinds_text, const std::vector<std::string>& size_texts,
                const std::string& weights_text, const TimingOptions& options) {
  std::vector<grurt::bench::CellSize> chosen_sizes;
  for (const std::string& text : size_texts) chosen_sizes.push_back(parse_size(text));
  const bool with_bound = bound_measurable();
  std::printf("grurt-bench %s: one-layer models with random weights, %s, %d repetitions\n", grurt::kVersion,
              call_text(options).c_str(), options.repetitions);
  // Peak FMA rates by the vector width of the kernels timed, measured once each.
  std::vector<std::pair<std::string, double>> peaks;
  auto peak_for = [&](grurt::Isa isa) {
    const std::string code = grurt::bench::bound_isa(isa);
    for (const auto& known : peaks)
      if (known.first == code) return known.second;
    peaks.emplace_back(code, grurt::bench::peak_gflops(isa));
    std::printf("peak FMA rate measured: %.1f GFLOP/s (%s)\n", peaks.back().second, code.c_str());
    return peaks.back().second;
  };
  if (with_bound) peak_for(grurt::best_isa());
  // The bound is each row's own (its weights' bytes, read once per pass, with
  // the vector width of the ISA that ran); "/ f32 bound" compares a reduced
  // type with the f32 bound of the same size.
  // With streams: the time of one step of all of them, and of as many Sessions stepped in turn.
  const bool streams = options.streams > 1;
  std::printf("\n| kind | I | H | type | weights | isa | bound ns | grurt ns | grurt/bound | grurt / f32 bound |%s\n",
              streams ? " sessions in turn ns | stream steps/s | batch speedup |" : "");
  std::printf("|---|---|---|---|---|---|---|---|---|---|%s\n", streams ? "---|---|---|" : "");
  for (const grurt::bench::CellKind kind : parse_kinds(kinds_text)) {
    const auto& sizes = chosen_sizes.empty() ? grurt::bench::standard_sizes(kind) : chosen_sizes;
    for (const grurt::bench::CellSize& size : sizes) {
      for (const grurt::ElementType type : parse_weight_types(weights_text)) {
        grurt::bench::CellModel cell;
        grurt::bench::load_cell_model(random_cell_weights(kind, size.input_size, size.hidden_size), type, cell);
        const ModelTiming timing = time_model(cell.model, options);
        const grurt::tools::WeightBytes bytes = grurt::tools::weight_bytes(cell.model);
        // An int8 multiply-add is counted as a quarter of an f32 FMA lane: a
        // 4-byte dot product instruction (vpdpbusd, sdot) does 4 per f32 lane.
        const double f32_flops = 2.0 * static_cast<double>(cell.model.parameters()) * options.streams;
        const double flops = type == grurt::ElementType::kI8 ? f32_flops / 4.0 : f32_flops;
        const double passes = reads_per_step(options, bytes);
        const double peak = with_bound ? peak_for(timing.isa) : 0.0;
        const double bound =
            with_bound ? grurt::bench::step_bound_ns(static_cast<double>(bytes.stored), flops, peak, timing.isa, passes)
                       : 0.0;
        // (Measured once for f32 rows: each measurement of the bandwidth varies a little.)
        double f32_bound = bound;
        if (with_bound && type != grurt::ElementType::kF32) {
          f32_bound =
              grurt::bench::step_bound_ns(static_cast<double>(bytes.as_f32), f32_flops, peak, timing.isa, passes);
        }
        std::printf("| %s | %u | %u | %s | %.0f KB | %s | %.1f | %.1f | %.2fx | %.2fx |",
                    grurt::bench::cell_kind_name(kind), size.input_size, size.hidden_size,
                    grurt::element_type_name(type), static_cast<double>(bytes.stored) / 1024.0,
                    grurt::isa_name(timing.isa), bound, timing.per_step_ns,
                    with_bound ? timing.per_step_ns / bound : 0.0, with_bound ? timing.per_step_ns / f32_bound : 0.0);
        if (streams) {
          const ModelTiming in_turn =
              per_step_of(grurt::bench::time_sessions_in_turn(cell.model, request_of(options), options.streams), 1.0);
          std::printf(" %.1f | %.0f | %.2fx |", in_turn.per_step_ns, options.streams * 1e9 / timing.per_step_ns,
                      in_turn.per_step_ns / timing.per_step_ns);
        }
        std::printf("\n");
        std::fflush(stdout);
      }
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times a .grurt model per time step (median of repetitions) and compares with this machine's bound:\n"
               "the weights read once at the measured bandwidth for their size, or the FLOPs at peak FMA rate.\n"
               "Without a model file, --kind times one-layer GRU and/or LSTM models with random weights\n"
               "(by default at the README's sizes; --size picks others) and prints one table row per model.",
               "grurt-bench"};
  app.set_version_flag("--version", std::string("grurt-bench ") + grurt::kVersion);
  std::string path, kinds, weights = "f32";
  std::vector<std::string> sizes;
  TimingOptions options;
  auto* model = app.add_option("model", path, "Model file (.grurt)");
  auto* kind = app.add_option("--kind", kinds, "gru, lstm or all: random one-layer models instead of a model file")
                   ->check(CLI::IsMember({"gru", "lstm", "all"}))
                   ->excludes(model);
  app.add_option("--size", sizes, "With --kind: IxH (e.g. 16x64), repeatable; default the README's sizes")->needs(kind);
  app.add_option("--weights", weights, "With --kind: f32, f16, int8 or all (one row per type)")
      ->check(CLI::IsMember({"f32", "f16", "int8", "all"}))
      ->capture_default_str()
      ->needs(kind);
  app.add_option("--steps", options.steps, "Calls per repetition (default: about 20 ms worth)");
  app.add_option("--repetitions", options.repetitions, "Repetitions; the median is reported")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--isa", options.isa, "One of: " + isa_choices())->capture_default_str();
  auto* block = app.add_option("--block", options.block, "Steps per call: 1 times step(), more times run()")
                    ->check(CLI::Range(1, 4096))
                    ->capture_default_str();
  app.add_option("--streams", options.streams,
                 "Streams stepped together by a BatchSession (1..4096); times one step of all of them and,\n"
                 "for a model file, the same number of Sessions stepped one after another")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str()
      ->excludes(block);
  // One of the two is required; a parse error (exit 2) like a missing required option.
  app.parse_complete_callback([&] {
    if (path.empty() && kinds.empty()) throw CLI::RequiredError("model (or --kind gru|lstm|all)");
  });
  return grurt::tools::run_tool(app, argc, argv, [&] {
    return kinds.empty() ? bench_file(path, options) : bench_cells(kinds, sizes, weights, options);
  });
}
