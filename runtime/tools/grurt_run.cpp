// grurt-run: streams CSV rows through a model, one time step per row.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "csv_rows.hpp"
#include "grurt/grurt.hpp"
#include "grurt/owned_session.hpp"
#include "host_file.hpp"
#include "model_file.hpp"
#include "tool_main.hpp"

namespace {

int run(const std::string& model_path, const std::string& input_path, const std::string& output_path,
        bool refuse_non_finite) {
  grurt::tools::LoadedModel loaded;
  grurt::tools::load_model_file(model_path, loaded);
  const grurt::Model& model = loaded.model;

  grurt::OwnedSession owned;
  if (owned.init(model) != grurt::Status::kOk) throw std::runtime_error(owned.error());
  grurt::Session& session = owned.session();
  if (refuse_non_finite) session.refuse_non_finite_inputs(true);

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
      if (session.step(input.data(), output.data()) != grurt::Status::kOk) {
        throw std::runtime_error("line " + std::to_string(rows.line_number()) + ": " + session.error());
      }
      out << grurt::tools::format_row(output.data(), output.size()) << '\n';
    }
  } catch (const std::runtime_error& e) {
    throw std::runtime_error((input_path == "-" ? "<stdin>" : input_path) + ": " + e.what());
  }
  out.flush();
  if (!out) throw std::runtime_error("cannot write output '" + output_path + "'");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Streams a CSV through a .grurt model: one time step per input line (comma-separated floats,\n"
      "'#' comment and blank lines skipped), one output line per step (values printed with %.9g).\n"
      "The recurrent state carries over from line to line, starting at zero.",
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
  return grurt::tools::run_tool(app, argc, argv,
                                [&] { return run(model_path, input_path, output_path, refuse_non_finite); });
}
