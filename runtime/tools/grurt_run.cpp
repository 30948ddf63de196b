// grurt-run: streams CSV rows through a model, one time step per row.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <vector>

#include "csv_rows.hpp"
#include "grurt/grurt.hpp"
#include "grurt/owned_session.hpp"
#include "host_file.hpp"
#include "integer_runner.hpp"
#include "model_file.hpp"
#include "state_file.hpp"
#include "tool_main.hpp"

namespace {

struct StateFiles {
  std::string initial;  // "" = start from zero
  std::string final;    // "" = do not save
};

// Which session runs the model: a Session (float activations), or the
// integer path (--integer: IntegerSession, as on a core without an FPU) with
// floats converted at the model's scales, or raw int16 rows (--int16).
struct Path {
  bool integer = false;
  bool int16 = false;
};

// One step of the integer path for a CSV row: int16 values as written (--int16),
// or floats through the model's scales.
void integer_step(grurt::tools::IntegerRunner& runner, bool int16, const std::vector<float>& input,
                  std::vector<float>& output) {
  if (!int16) return runner.step(input.data(), output.data());
  std::vector<std::int16_t> in(input.size()), out(output.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const bool in_range = input[i] >= -32768.0f && input[i] <= 32767.0f;  // false for NaN
    if (!in_range || input[i] != static_cast<float>(static_cast<int>(input[i]))) {
      throw std::runtime_error("value " + std::to_string(i + 1) + " is " + std::to_string(input[i]) +
                               "; --int16 rows hold integers in -32768..32767");
    }
    in[i] = static_cast<std::int16_t>(input[i]);
  }
  runner.session().step(in.data(), out.data());
  for (std::size_t i = 0; i < out.size(); ++i) output[i] = out[i];
}

int run(const std::string& model_path, const std::string& input_path, const std::string& output_path,
        bool refuse_non_finite, const StateFiles& state_files, const Path& path) {
  grurt::tools::LoadedModel loaded;
  grurt::tools::load_model_file(model_path, loaded);
  const grurt::Model& model = loaded.model;

  grurt::OwnedSession owned;
  std::unique_ptr<grurt::tools::IntegerRunner> integer;
  if (path.integer) {
    try {
      integer = std::make_unique<grurt::tools::IntegerRunner>(loaded.bytes.data(), loaded.bytes.size());
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("'" + model_path + "': --integer: " + e.what());
    }
  } else if (owned.init(model) != grurt::Status::kOk) {
    throw std::runtime_error(owned.error());
  }
  grurt::Session& session = owned.session();
  if (refuse_non_finite && !integer) session.refuse_non_finite_inputs(true);
  const std::size_t state_size = integer ? integer->model().state_size() : session.state_size();
  if (!state_files.initial.empty()) {
    const std::vector<float> state = grurt::tools::read_state_file(state_files.initial, state_size);
    if (integer) {
      integer->write_state(state);
    } else if (session.write_state(state.data(), state.size()) != grurt::Status::kOk) {
      throw std::runtime_error("'" + state_files.initial + "': " + session.error());
    }
  }

  std::ifstream input_file;
  if (input_path != "-") input_file = grurt::tools::open_text_input(input_path);
  std::ofstream output_file;
  if (output_path != "-") output_file = grurt::tools::create_text_output(output_path);
  std::istream& in = input_path == "-" ? std::cin : input_file;
  std::ostream& out = output_path == "-" ? std::cout : output_file;

  grurt::tools::CsvRows rows(in, model.input_size());
  std::vector<float> input;
  std::vector<float> output(model.output_size());
  try {
    while (rows.next(input)) {
      if (integer) {
        try {
          integer_step(*integer, path.int16, input, output);
        } catch (const std::runtime_error& e) {
          throw std::runtime_error("line " + std::to_string(rows.line_number()) + ": " + e.what());
        }
      } else if (session.step(input.data(), output.data()) != grurt::Status::kOk) {
        throw std::runtime_error("line " + std::to_string(rows.line_number()) + ": " + session.error());
      }
      out << grurt::tools::format_row(output.data(), output.size()) << '\n';
    }
  } catch (const std::runtime_error& e) {
    throw std::runtime_error((input_path == "-" ? "<stdin>" : input_path) + ": " + e.what());
  }
  out.flush();
  if (!out) throw std::runtime_error("cannot write output '" + output_path + "'");
  if (!state_files.final.empty()) {
    std::vector<float> state(state_size);
    if (integer) {
      state = integer->read_state();
    } else {
      session.read_state(state.data(), state.size());
    }
    grurt::tools::write_state_file(state_files.final, state.data(), state.size());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Streams a CSV through a .grurt model: one time step per input line (comma-separated floats,\n"
      "'#' comment and blank lines skipped), one output line per step (values printed with %.9g).\n"
      "The recurrent state carries over from line to line, starting at zero or at --initial-state.\n"
      "State files hold Session::state_size() floats, one per line (%.9g, '#' comment and blank lines\n"
      "skipped): every recurrent layer's state in layer order (GRU, RNN: h). A stream split in two runs,\n"
      "the second started from the first one's --final-state, gives the outputs of one run bit for bit.",
      "grurt-run"};
  app.set_version_flag("--version", std::string("grurt-run ") + grurt::kVersion);
  std::string model_path;
  std::string input_path = "-";
  std::string output_path = "-";
  app.add_option("model", model_path, "Model file (.grurt)")->required();
  app.add_option("-i,--input", input_path, "Input CSV, '-' for standard input")->capture_default_str();
  app.add_option("-o,--output", output_path, "Output CSV, '-' for standard output")->capture_default_str();
  bool refuse_non_finite = false;
  app.add_flag("--refuse-non-finite", refuse_non_finite,
               "Stop with an error at an input 'nan' or 'inf' instead of streaming it (which would turn the\n"
               "state and every later output into NaN)");
  StateFiles state_files;
  app.add_option("--initial-state", state_files.initial,
                 "Start from this state instead of zeros (a file of state_size() floats, one per line; a wrong\n"
                 "count or a NaN/inf is refused)");
  app.add_option("--final-state", state_files.final, "After the stream, save the state to this file (one float per line)");
  Path path;
  app.add_flag("--integer", path.integer,
               "Run the model's integer path (grurt-convert --activations int16: IntegerSession, bit for bit what\n"
               "a core without an FPU computes): input floats are rounded to int16 at the model's input scale\n"
               "(clamped to its range; NaN refused), outputs are the int16 results times the output scale; state\n"
               "files hold the state as floats (an h in Q15, an LSTM's c in Q4.11)");
  app.add_flag("--int16", path.int16,
               "With --integer: rows hold the raw int16 values of IntegerSession::step() (inputs and outputs)");
  return grurt::tools::run_tool(app, argc, argv, [&] {
    if (path.int16 && !path.integer) {
      throw std::runtime_error("--int16 reads and writes the integer path's values: add --integer");
    }
    return run(model_path, input_path, output_path, refuse_non_finite, state_files, path);
  });
}
