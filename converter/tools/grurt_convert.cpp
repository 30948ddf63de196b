// grurt-convert: trained GRU, LSTM and RNN weights (torch.save state_dict, safetensors) -> .grurt
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "conversion_report.hpp"
#include "conversion_proof.hpp"
#include "csv_file.hpp"
#include "weight_accuracy.hpp"
#include "grurt/grurt.hpp"
#include "grurt_convert/c_array_writer.hpp"
#include "grurt_convert/conversion_check.hpp"
#include "grurt_convert/conversion_error.hpp"
#include "grurt_convert/integer_plan.hpp"
#include "grurt_convert/layout_recognition.hpp"
#include "grurt_convert/layout_registry.hpp"
#include "grurt_convert/mapping_file.hpp"
#include "grurt_convert/model_writer.hpp"
#include "grurt_convert/source_file.hpp"
#include "grurt_convert/stated_layers.hpp"
#include "host_file.hpp"
#include "input_limits.hpp"
#include "model_file.hpp"
#include "tool_main.hpp"

namespace {

using namespace grurt::convert;

struct Options {
  std::string input;
  std::string output;
  std::string mapping;
  std::string format;  // "" = from the file's content
  RecognitionOptions recognition;
  std::string head_input = "state";
  std::string rnn_nonlinearity;  // "" = not given (tanh assumed)
  std::string description;
  std::string emit_c;
  ProofOptions proof;  // --check-steps, --check-input, --check-tolerance, --expect
  std::string weights = "f32";        // --weights
  std::string activations = "f32";    // --activations: f32, or int16 (the integer path; int8 weights)
  std::string calibrate;              // --calibrate IN.csv, or "" (the check's inputs)
  WeightAccuracyOptions accuracy;     // --max-error
  std::string activation_before_head, activation_after_head;
  std::string skip = "none";
  bool quiet = false;
};

std::string read_text(const std::string& path) {
  const auto bytes = grurt::tools::read_file(path, kMappingFileLimit);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// --activations int16: calibrates the ranges between layers on --calibrate,
// or else on the check's inputs, and adds the integer path's plan.
void add_integer_plan(CanonicalModel& model, const Options& options, std::ostream& log) {
  const std::string refusal = integer_path_refusal(model);
  if (!refusal.empty()) throw ConversionError("--activations int16: " + refusal + "; nothing was written");
  std::vector<std::vector<float>> inputs;
  std::string from;
  if (!options.calibrate.empty()) {
    inputs = read_csv_file(options.calibrate, model.input_size);
    from = options.calibrate;
  } else if (!options.proof.check_input.empty()) {
    inputs = read_csv_file(options.proof.check_input, model.input_size);
    from = options.proof.check_input + " (--check-input)";
  } else {
    inputs = random_check_inputs(options.proof.random_steps, model.input_size);
    from = "the check's random N(0,1) inputs; --calibrate IN.csv with real inputs is better";
  }
  const Calibration calibration = calibrate(model, inputs);
  model.integer = plan_integer(model, calibration);
  log << "calibrate " << calibration.steps << " steps of " << from << ": |input| up to "
      << three_digits(calibration.input) << ", input scale " << three_digits(model.integer->input_scale)
      << ", output scale " << three_digits(model.integer->output_scale) << "\n";
  if (calibration.cell >= 16.0) {
    log << "note     an LSTM cell reached |c| " << three_digits(calibration.cell)
        << " in calibration; the integer path holds |c| < 16 (Q4.11) and saturates beyond\n";
  }
}

int convert(const Options& options) {
  std::ostringstream log;
  const auto input = grurt::tools::read_file(options.input, kWeightsFileLimit);
  SourceFile weights;
  try {
    weights = read_source_file(input.data(), input.size(),
                               options.format.empty() ? SourceFormat::kAuto : parse_source_format(options.format));
  } catch (const ConversionError& e) {
    throw ConversionError(options.input + ": " + e.what());
  }
  log << "read     " << options.input << " (" << weights.format << ", " << weights.tensors.size() << " tensors)\n";

  // A file that declares its architecture (ONNX) records its activations, skip
  // connections and layers: options that would state them contradict the file.
  if (weights.declared) {
    std::string contradicting;
    if (!options.mapping.empty()) contradicting += " --mapping";
    if (!options.activation_before_head.empty()) contradicting += " --activation-before-head";
    if (!options.activation_after_head.empty()) contradicting += " --activation-after-head";
    if (options.skip != "none") contradicting += " --skip";
    if (!contradicting.empty()) {
      throw ConversionError(options.input + ": this " + weights.format + " file declares its architecture, so" +
                            contradicting + " (which state what a state_dict does not record) do not apply; leave "
                            "them out");
    }
  }
  SourceModel source;
  try {
    source = options.mapping.empty() ? source_model(weights, options.recognition)
                                     : read_mapping(read_text(options.mapping), weights.tensors);
  } catch (const ConversionError& e) {
    throw ConversionError((options.mapping.empty() ? options.input : options.mapping) + ": " + e.what());
  }
  StatedLayers stated;
  if (!options.activation_before_head.empty())
    stated.before_head = parse_activation_name(options.activation_before_head, "--activation-before-head");
  if (!options.activation_after_head.empty())
    stated.after_head = parse_activation_name(options.activation_after_head, "--activation-after-head");
  add_stated_layers(source, stated);
  if (options.skip == "input") {
    const std::uint32_t outputs = source.layers.empty() ? 0 : output_width(source.layers.back());
    if (source.input_size < outputs) {
      throw ConversionError("--skip input adds input channel j to output j, but the model has " +
                            std::to_string(source.input_size) + " inputs and " + std::to_string(outputs) + " outputs");
    }
    source.skip = SkipSpec{};  // channels 0.. of the input, one per output
    source.skip_origin = "stated by --skip input: a state_dict does not record a skip";
  }
  log << describe_source(source);

  CanonicalModel model = canonicalize(source, weights.tensors);
  model.metadata.producer = std::string("grurt-convert ") + grurt::kVersion;
  model.metadata.source = options.input;
  model.metadata.description = options.description;
  std::vector<std::uint8_t> bytes = write_model(model);

  // The conversion is proven in f32; a reduced weight type is then measured.
  std::string refusal = prove_conversion(source, weights.tensors, bytes, model.output_size(), options.proof, log);
  if (refusal.empty() && options.weights != "f32") {
    model.weight_type = options.weights == "int8" ? grurt::ElementType::kI8 : grurt::ElementType::kF16;
    std::string problems = find_inconsistencies(model);  // a weight f16 cannot hold (int8 holds any finite one)
    if (!problems.empty()) {
      problems.pop_back();  // the last line's newline
      throw ConversionError("--weights " + options.weights + ": " + problems + "; nothing was written");
    }
    if (options.activations == "int16") add_integer_plan(model, options, log);
    bytes = serialize_model(model);
    refusal = measure_weight_accuracy(source, weights.tensors, bytes, model.weight_type,
                                      options.activations == "int16", options.proof, options.accuracy, log);
  }
  if (!refusal.empty()) {
    if (!options.quiet) std::cout << log.str();
    throw ConversionError(refusal + "; nothing was written");
  }

  grurt::tools::write_file(options.output, bytes.data(), bytes.size());
  // Re-read what was written: the sizes reported come from the file itself.
  const auto loaded = grurt::tools::read_file(options.output, grurt::tools::kModelFileLimit);
  grurt::Model written;
  if (written.load(loaded.data(), loaded.size()) != grurt::Status::kOk) {
    throw ConversionError(options.output + ": the written file does not load: " + written.error());
  }
  grurt::IntegerModel integer;  // stays unloaded (arena 0) without --activations int16
  if (options.activations == "int16" && integer.load(loaded.data(), loaded.size()) != grurt::Status::kOk) {
    throw ConversionError(options.output + ": the written file's integer path does not load: " + integer.error());
  }
  log << "wrote    " << options.output << " (" << bytes.size() << " bytes, " << written.parameters()
      << " parameters, arena " << written.arena_bytes() << " bytes";
  if (integer.loaded()) log << ", integer path arena " << integer.arena_bytes() << " bytes";
  log << ")\n";
  if (!options.emit_c.empty()) {
    const std::string id = c_identifier(options.emit_c);
    const std::string header = c_header_text(id, written, bytes.size(), integer.arena_bytes());
    const std::string source_text = c_source_text(id, bytes);
    grurt::tools::write_file(options.emit_c + ".h", header.data(), header.size());
    grurt::tools::write_file(options.emit_c + ".c", source_text.data(), source_text.size());
    log << "wrote    " << options.emit_c << ".h, " << options.emit_c << ".c (array '" << id << "')\n";
  }
  if (!options.quiet) std::cout << log.str();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // The layouts come from the registry, so a new layout family shows up here by itself.
  CLI::App app{
      "Converts trained GRU, LSTM and RNN weights to a .grurt model file, then proves the conversion by running the\n"
      "written file with the runtime against the source layout's own formulas (double precision), one step at a\n"
      "time from the same state, on random inputs or --check-input; --expect compares with your own outputs.\n"
      "Reads torch.save(model.state_dict()) files (PyTorch >= 1.6), .safetensors, ONNX models (.onnx: GRU, LSTM, RNN\n"
      "nodes with their head ops, see README), Keras HDF5 models (.h5) and JSON models (RTNeural, AIDA-X,\n"
      "CoreAudioML, a state_dict as JSON),\n"
      "picking the reader from the file's content. Known layouts are recognised\n"
      "by tensor names and shapes under any module prefix {p}, each with an optional nn.Linear head:\n" +
          layout_help() + "Any other layout: --mapping FILE.json (see README).",
      "grurt-convert"};
  app.set_version_flag("--version", std::string("grurt-convert ") + grurt::kVersion);
  Options options;
  app.add_option("input", options.input,
                 "Weights file (.pt/.pth from torch.save, .safetensors), ONNX model (.onnx), Keras model (.h5) or JSON "
                 "model (.json)")
      ->required();
  app.add_option("--format", options.format,
                 "Read the input as this format instead of telling it from the file's content: pt, safetensors, onnx, "
                 "json, keras, npz")
      ->check(CLI::IsMember({"pt", "safetensors", "onnx", "json", "keras", "npz"}));
  app.add_option("-o,--output", options.output, "Model file to write (.grurt)")->required();
  app.add_option("--layout", options.recognition.layout, "Use this layout instead of recognising it: " + layout_names());
  app.add_option("--prefix", options.recognition.prefix, "Only look at tensors under this module prefix, e.g. 'encoder.'");
  app.add_option("--head", options.recognition.head,
                 "The Linear head's module name (e.g. 'fc'), 'none' for no head, or 'auto'")
      ->capture_default_str();
  app.add_option("--head-input", options.head_input,
                 "Concat cell: what the head reads, 'state' (h', as the seed classifier) or 'tanh' (tanh(h'))")
      ->check(CLI::IsMember({"state", "tanh"}))
      ->capture_default_str();
  app.add_option("--rnn-nonlinearity", options.rnn_nonlinearity,
                 "nn.RNN / nn.RNNCell: 'tanh' or 'relu'. A state_dict does not record it; default tanh (PyTorch's "
                 "default), reported as assumed")
      ->check(CLI::IsMember({"tanh", "relu"}));
  app.add_option("--skip", options.skip,
                 "Skip connection: 'input' adds the model input to the output, y[j] = net(x)[j] + x[j] (for one "
                 "output, the amp models' y = Linear(h) + x[0]; needs input size >= output size). A state_dict does "
                 "not record a skip: state it here")
      ->check(CLI::IsMember({"none", "input"}))
      ->capture_default_str();
  app.add_option("--mapping", options.mapping, "JSON file naming which tensor slices are which gate (see README)");
  app.add_option("--chain", options.recognition.chain,
                 "Chain these recurrent modules in this order, e.g. 'gru1,gru2' (module prefixes). Without it, several "
                 "recurrent modules are chained in the order they were declared (kept by a .pt state_dict, not by "
                 ".safetensors)")
      ->delimiter(',')
      ->excludes("--mapping")
      ->excludes("--prefix");
  app.add_flag("--allow-unused", options.recognition.allow_unused,
               "Convert even if the file has tensors the recognised layout does not use");
  app.add_option("--description", options.description, "Free text stored in the file's metadata");
  app.add_option("--emit-c", options.emit_c,
                 "Also write NAME.h and NAME.c holding the model as an aligned C array (for firmware)");
  app.add_option("--check-steps", options.proof.random_steps,
                 "Random N(0,1) time steps the conversion check runs (when --check-input is not given)")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  app.add_option("--check-input", options.proof.check_input,
                 "CSV of inputs for the conversion check instead of random ones (one time step per line, as "
                 "grurt-run reads): realistic data, e.g. audio in [-1, 1]");
  app.add_option("--check-tolerance", options.proof.tolerance,
                 "Largest accepted |grurt - reference| / max(1, |reference|) per value and step (the check "
                 "widens the scale where float32 itself cannot do better, see README), for the check and --expect. "
                 "Correct conversions measure ~1e-6; raise it only for a model whose report shows "
                 "a difference just above it")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--expect", options.proof.expect,
                 "IN.csv OUT.csv: inputs and the outputs your own framework produced for them; the converted model "
                 "runs IN from its start state (zeros, or the initial state it stores) and is refused (nothing written) if it differs from OUT beyond "
                 "--check-tolerance. Proves what a state_dict cannot show (activations, skips, call order)")
      ->expected(2);
  app.add_option("--activation-before-head", options.activation_before_head,
                 "An activation between the recurrent layers and the Linear head (a state_dict does not record "
                 "it): tanh, relu, sigmoid, softmax, identity");
  app.add_option("--activation-after-head", options.activation_after_head,
                 "An activation on the model's output, after the head: tanh, relu, sigmoid, softmax, identity");
  app.add_option("--weights", options.weights,
                 "How weight matrices are stored: f32; f16 (IEEE half, rounded to nearest: half the bytes; the "
                 "kernels widen each to f32 as they read it); or int8 (symmetric per-row scales, a quarter of the "
                 "bytes; the runtime quantizes the activations per step). Biases and states stay f32. The conversion "
                 "is proven in f32, then the reduced file's output error against the source formulas is reported")
      ->check(CLI::IsMember({"f32", "f16", "int8"}))
      ->capture_default_str();
  app.add_option("--activations", options.activations,
                 "f32, or int16: also write the integer path's plan (int8 weights, int16 activations and state, "
                 "int32 sums; grurt::IntegerSession, for cores without an FPU), with ranges calibrated on "
                 "--calibrate; implies --weights int8. GRU (PyTorch's), LSTM and Dense layers; the report gives its error "
                 "against the source formulas")
      ->check(CLI::IsMember({"f32", "int16"}))
      ->capture_default_str();
  app.add_option("--calibrate", options.calibrate,
                 "With --activations int16: CSV of typical inputs (one step per line) whose ranges set the int16 "
                 "scales (default: --check-input, else the check's random N(0,1) inputs); larger inputs are clamped");
  app.add_option("--max-error", options.accuracy.max_error,
                 "With --weights f16 or int8: refuse (write nothing) when the largest |output error| against the "
                 "source formulas over the check's steps is above E (default: report only)")
      ->check(CLI::PositiveNumber);
  app.add_flag("-q,--quiet", options.quiet, "Print nothing on success");
  return grurt::tools::run_tool(app, argc, argv, [&] {
    options.recognition.head_reads_tanh = options.head_input == "tanh";
    if (!options.rnn_nonlinearity.empty()) {
      options.recognition.rnn_activation =
          options.rnn_nonlinearity == "relu" ? grurt::Activation::kRelu : grurt::Activation::kTanh;
    }
    if (options.activations == "int16") {
      if (app.count("--weights") != 0 && options.weights != "int8") {
        throw ConversionError("--activations int16 runs int8 weights: leave out --weights " + options.weights);
      }
      options.weights = "int8";
    } else if (!options.calibrate.empty()) {
      throw ConversionError("--calibrate sets the integer path's ranges: give it with --activations int16");
    }
    if (options.accuracy.max_error && options.weights == "f32") {
      throw ConversionError("--max-error bounds the error of reduced weights: give it with --weights f16 or int8");
    }
    return convert(options);
  });
}
