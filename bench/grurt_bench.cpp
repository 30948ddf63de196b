// grurt-bench: speed of one model's step() (or run() blocks) on this machine,
// against the machine's own bound for that model's weights and FLOPs.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <random>
#include <vector>

#include "grurt/grurt.hpp"
#include "grurt/owned_session.hpp"
#include "machine_bound.hpp"
#include "model_file.hpp"
#include "step_timer.hpp"
#include "tool_main.hpp"

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

int bench(const std::string& path, const std::string& isa_text, std::size_t steps, int repetitions, std::size_t block) {
  grurt::tools::LoadedModel loaded;
  grurt::tools::load_model_file(path, loaded);
  const grurt::Model& model = loaded.model;
  grurt::OwnedSession owned;
  if (owned.init(model, parse_isa(isa_text)) != grurt::Status::kOk) throw std::runtime_error(owned.error());
  grurt::Session& s = owned.session();

  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> inputs(block * model.input_size()), outputs(block * model.output_size());
  for (float& v : inputs) v = normal(rng);
  auto step = [&] {
    if (block == 1) {
      s.step(inputs.data(), outputs.data());
    } else {
      s.run(inputs.data(), outputs.data(), block);
    }
  };
  if (steps == 0) steps = grurt::bench::calibrate_steps(step);
  const auto timing = grurt::bench::time_steps(step, steps, repetitions);
  const double per_step = timing.median_ns / static_cast<double>(block);
  const double weight_bytes = static_cast<double>(model.parameters()) * sizeof(float);
  const double flops = 2.0 * static_cast<double>(model.parameters());

  std::printf("grurt-bench %s: %s\n", grurt::kVersion, path.c_str());
  std::printf("isa %s, %s, %zu calls x %d repetitions\n", grurt::isa_name(s.isa()),
              block == 1 ? "step()" : ("run() blocks of " + std::to_string(block) + " steps").c_str(), steps, repetitions);
  std::printf("model: %u -> %u, %u layers, %llu parameters (%.0f bytes of f32 weights)\n\n", model.input_size(),
              model.output_size(), model.num_layers(), static_cast<unsigned long long>(model.parameters()), weight_bytes);
  std::printf("| %-22s | %12s | %12s | %12s |\n", "per step", "median", "min", "max");
  std::printf("|%s|%s|%s|%s|\n", "------------------------", "--------------", "--------------", "--------------");
  std::printf("| %-22s | %12.1f | %12.1f | %12.1f |\n", "ns", per_step, timing.min_ns / block, timing.max_ns / block);
  std::printf("| %-22s | %12.2f | %12.2f | %12.2f |\n", "GFLOP/s", flops / per_step, flops * block / timing.max_ns,
              flops * block / timing.min_ns);
  std::printf("| %-22s | %12.2f | %12.2f | %12.2f |\n", "GB/s of weights", weight_bytes / per_step,
              weight_bytes * block / timing.max_ns, weight_bytes * block / timing.min_ns);
  if (grurt::isa_available(grurt::Isa::kAvx2) || std::string(grurt::bench::bound_isa()) == "scalar") {
    const double bandwidth = grurt::bench::read_bandwidth_gbs(static_cast<std::size_t>(weight_bytes));
    const double peak = grurt::bench::peak_gflops();
    const double bound = std::max(weight_bytes / bandwidth, flops / peak);
    std::printf("\nmachine bound (%s): read %.1f GB/s at this footprint, peak %.1f GFLOP/s -> %.1f ns/step; "
                "grurt at %.2fx the bound\n",
                grurt::bench::bound_isa(), bandwidth, peak, bound, per_step / bound);
  }
  std::printf("median_ns_per_step=%.1f\n", per_step);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times a .grurt model per time step (median of repetitions) and compares with this machine's bound:\n"
               "the weights read once at the measured bandwidth for their size, or the FLOPs at peak FMA rate.",
               "grurt-bench"};
  app.set_version_flag("--version", std::string("grurt-bench ") + grurt::kVersion);
  std::string path, isa = "auto";
  std::size_t steps = 0, block = 1;
  int repetitions = 11;
  app.add_option("model", path, "Model file (.grurt)")->required();
  app.add_option("--steps", steps, "Calls per repetition (default: about 20 ms worth)");
  app.add_option("--repetitions", repetitions, "Repetitions; the median is reported")->check(CLI::Range(1, 1000))->capture_default_str();
  app.add_option("--isa", isa, "One of: " + isa_choices())->capture_default_str();
  app.add_option("--block", block, "Steps per call: 1 times step(), more times run()")->check(CLI::Range(1, 4096))->capture_default_str();
  return grurt::tools::run_tool(app, argc, argv, [&] { return bench(path, isa, steps, repetitions, block); });
}
