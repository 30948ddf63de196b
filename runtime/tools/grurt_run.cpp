// grurt-run: streams CSV rows or audio samples through a model, one time step
// per row or frame, to CSV or audio.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "audio_file.hpp"
#include "audio_formats.hpp"
#include "frame_runner.hpp"
#include "frame_streams.hpp"
#include "grurt/grurt.hpp"
#include "grurt/owned_session.hpp"
#include "host_file.hpp"
#include "integer_runner.hpp"
#include "model_file.hpp"
#include "state_file.hpp"
#include "stream_report.hpp"
#include "terminal.hpp"
#include "tool_main.hpp"

namespace {

using grurt::tools::SampleFormat;

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

struct Options {
  std::string model;
  std::string input = "-";
  std::string output = "-";
  bool refuse_non_finite = false;
  StateFiles state_files;
  Path path;
  int rate = 0;  // Hz of a CSV input; 0: none given
  double gain_in_db = 0;
  double gain_out_db = 0;
  std::optional<SampleFormat> format;
};

// Audio is read and run in blocks of this many frames (FrameRunner); CSV one row at a time.
constexpr std::size_t kBlockFrames = 4096;

void scale(float* values, std::size_t count, double db) {
  if (db == 0) return;
  const auto factor = static_cast<float>(std::pow(10.0, db / 20));
  for (std::size_t i = 0; i < count; ++i) values[i] *= factor;
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Refuses option combinations that cannot mean anything, before any file is touched.
void check_options(const Options& o, bool audio_in, const std::optional<grurt::tools::AudioContainer>& audio_out) {
  if (o.path.int16 && !o.path.integer) {
    throw std::runtime_error("--int16 reads and writes the integer path's values: add --integer");
  }
  for (const double db : {o.gain_in_db, o.gain_out_db}) {
    if (!std::isfinite(db) || std::fabs(db) > 120) {
      throw std::runtime_error("a gain of " + std::to_string(db) + " dB: gains are in -120..120 dB");
    }
  }
  if (o.path.int16 && (o.gain_in_db != 0 || o.gain_out_db != 0)) {
    throw std::runtime_error("--gain-in and --gain-out scale floats; --int16 rows hold raw integers");
  }
  if (o.path.int16 && (audio_in || audio_out)) {
    throw std::runtime_error("--int16 rows of raw integers are CSV; for audio files use --integer alone");
  }
  if (audio_in && o.rate != 0) {
    throw std::runtime_error("--rate is for CSV input: '" + o.input + "' has its own sample rate");
  }
  if (audio_out && !audio_in && o.rate == 0) {
    throw std::runtime_error("writing audio to '" + o.output +
                             "' needs a sample rate: CSV input has none; give it with --rate HZ");
  }
  if (o.format && !audio_out) {
    throw std::runtime_error("--format is for audio output; '" + o.output + "' is CSV");
  }
  if (audio_out) grurt::tools::check_format(*audio_out, *o.format, o.output);
}

// The input: an audio file, or CSV rows from a file or standard input.
struct Input {
  std::unique_ptr<grurt::tools::AudioReader> reader;
  std::ifstream file;
  std::unique_ptr<grurt::tools::FrameSource> source;
  double rate = 0;  // Hz; 0: not known (CSV without --rate)

  void open(const Options& o, bool audio, const grurt::Model& model) {
    rate = o.rate;
    if (!audio) {
      if (o.input != "-") file = grurt::tools::open_text_input(o.input);
      source = std::make_unique<grurt::tools::CsvSource>(o.input == "-" ? std::cin : file, model.input_size());
      return;
    }
    reader = std::make_unique<grurt::tools::AudioReader>(o.input);
    const grurt::tools::AudioInfo& info = reader->info();
    if (static_cast<std::size_t>(info.channels) != model.input_size()) {
      throw std::runtime_error("'" + o.input + "' has " + plural(info.channels, "channel", "channels") + ", but '" +
                               o.model + "' takes " + plural(model.input_size(), "input", "inputs") +
                               " per step (channel k goes to input k)");
    }
    rate = info.sample_rate;
    source = std::make_unique<grurt::tools::AudioSource>(*reader);
  }
};

// The output: an audio file at the input's rate, or CSV rows.
struct Output {
  std::unique_ptr<grurt::tools::AudioWriter> writer;
  std::ofstream file;
  std::unique_ptr<grurt::tools::FrameSink> sink;

  void open(const Options& o, const std::optional<grurt::tools::AudioContainer>& audio, const grurt::Model& model,
            double rate) {
    if (audio) {
      writer = std::make_unique<grurt::tools::AudioWriter>(o.output, *audio, *o.format,
                                                           static_cast<int>(model.output_size()), static_cast<int>(rate));
      sink = std::make_unique<grurt::tools::AudioSink>(*writer);
      return;
    }
    if (o.output != "-") file = grurt::tools::create_text_output(o.output);
    sink = std::make_unique<grurt::tools::CsvSink>(csv(o), model.output_size());
  }
  std::ostream& csv(const Options& o) { return o.output == "-" ? std::cout : file; }

  void close(const Options& o) {
    if (writer) return writer->close();
    csv(o).flush();
    if (!csv(o)) throw std::runtime_error("cannot write output '" + o.output + "'");
  }

  // What PCM did to values it cannot hold, on stderr.
  void report(const Options& o) const {
    if (writer && writer->clipped() != 0) {
      std::fprintf(stderr, "grurt-run: %s beyond full scale clipped in '%s' (%s)\n",
                   plural(writer->clipped(), "sample", "samples").c_str(), o.output.c_str(), format_name(*o.format));
    }
    if (writer && writer->nans() != 0) {
      std::fprintf(stderr, "grurt-run: %s written as 0 in '%s' (PCM has no NaN)\n",
                   plural(writer->nans(), "NaN output", "NaN outputs").c_str(), o.output.c_str());
    }
  }
};

// Streams every frame of `input` through `engine` to `output`, with gains;
// returns the number of frames. `progress`: null, or a bar to update.
std::uint64_t stream(const Options& o, Input& input, grurt::tools::FrameRunner& engine, Output& output,
                     grurt::tools::ProgressBar* progress, const std::function<double()>& elapsed) {
  const std::string input_name = o.input == "-" ? "<stdin>" : o.input;
  std::vector<float> in(kBlockFrames * engine.inputs());
  std::vector<float> out(kBlockFrames * engine.outputs());
  std::uint64_t frames = 0;
  for (;;) {
    std::size_t count;
    try {
      count = input.source->read(in.data(), kBlockFrames);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(input_name + ": " + e.what());
    }
    if (count == 0) return frames;
    scale(in.data(), count * engine.inputs(), o.gain_in_db);
    std::string error;
    const std::size_t done = engine.run(in.data(), out.data(), count, error);
    scale(out.data(), done * engine.outputs(), o.gain_out_db);
    output.sink->write(out.data(), done);
    if (done < count) throw std::runtime_error(input_name + ": " + input.source->where(done) + ": " + error);
    frames += count;
    if (progress) progress->update(frames, elapsed());
  }
}

int run(Options o) {
  const bool audio_in = grurt::tools::is_audio_input(o.input);
  const std::optional<grurt::tools::AudioContainer> audio_out = grurt::tools::output_container(o.output);
  if (audio_out && !o.format) o.format = grurt::tools::default_format(*audio_out);
  check_options(o, audio_in, audio_out);

  grurt::tools::LoadedModel loaded;
  grurt::tools::load_model_file(o.model, loaded);
  const grurt::Model& model = loaded.model;

  grurt::OwnedSession owned;
  std::unique_ptr<grurt::tools::IntegerRunner> integer;
  if (o.path.integer) {
    try {
      integer = std::make_unique<grurt::tools::IntegerRunner>(loaded.bytes.data(), loaded.bytes.size());
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("'" + o.model + "': --integer: " + e.what());
    }
  } else if (owned.init(model) != grurt::Status::kOk) {
    throw std::runtime_error(owned.error());
  }
  grurt::Session& session = owned.session();
  if (o.refuse_non_finite && !integer) session.refuse_non_finite_inputs(true);
  const std::size_t state_size = integer ? integer->model().state_size() : session.state_size();
  if (!o.state_files.initial.empty()) {
    const std::vector<float> state = grurt::tools::read_state_file(o.state_files.initial, state_size);
    if (integer) {
      integer->write_state(state);
    } else if (session.write_state(state.data(), state.size()) != grurt::Status::kOk) {
      throw std::runtime_error("'" + o.state_files.initial + "': " + session.error());
    }
  }
  grurt::tools::FrameRunner engine(integer ? nullptr : &session, integer.get(), o.path.int16, model.input_size(),
                                   model.output_size());

  Input input;
  input.open(o, audio_in, model);
  Output output;
  output.open(o, audio_out, model, input.rate);

  // A bar for an audio file of known length, on a terminal only, and not over
  // CSV rows printed to the same terminal.
  const bool show_progress = input.reader && input.reader->info().frames != 0 &&
                             grurt::tools::is_terminal(grurt::tools::StandardStream::kError) &&
                             (o.output != "-" || !grurt::tools::is_terminal(grurt::tools::StandardStream::kOutput));
  grurt::tools::ProgressBar progress(stderr, show_progress ? input.reader->info().frames : 0, input.rate);
  const auto start = std::chrono::steady_clock::now();
  const std::function<double()> elapsed = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const std::uint64_t frames = stream(o, input, engine, output, show_progress ? &progress : nullptr, elapsed);
  output.close(o);
  const double seconds = elapsed();
  progress.finish();

  if (!o.state_files.final.empty()) {
    std::vector<float> state(state_size);
    if (integer) {
      state = integer->read_state();
    } else {
      session.read_state(state.data(), state.size());
    }
    grurt::tools::write_state_file(o.state_files.final, state.data(), state.size());
  }
  output.report(o);
  if (input.rate > 0) {
    std::fprintf(stderr, "%s\n",
                 grurt::tools::real_time_line(frames, input.rate, static_cast<int>(model.input_size()), seconds).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string audio = grurt::tools::audio_library_version();
  CLI::App app{
      "Streams a CSV or an audio file through a .grurt model, one time step per CSV line or audio frame,\n"
      "to CSV or audio.\n"
      "CSV: one time step per input line (comma-separated floats, '#' comment and blank lines skipped),\n"
      "one output line per step (values printed with %.9g).\n"
      "Audio (" +
          (audio.empty() ? std::string("not in this build: it was built without libsndfile") : audio) +
          "): an input named .wav, .flac, .aif/.aiff (also .ogg,\n"
          ".mp3, .w64, .caf, .au, ...) feeds channel k of each frame to input k (as many channels as\n"
          "the model has inputs; samples as floats, full scale +-1); an output named .wav, .flac, .aif or\n"
          ".aiff gets one channel per model output, at the input's sample rate (--rate for a CSV input).\n"
          "Outputs named '-', .csv, .txt or without an extension are CSV, other extensions refused. With audio input, or\n"
          "--rate, a last line on stderr gives the real-time factor: '60.0 s of 48 kHz audio in 0.41 s: 146x\n"
          "real time (2.8 us per sample)' (per frame of N samples for N channels); on a terminal a progress\n"
          "bar shows while a long audio file runs.\n"
          "The recurrent state carries over from step to step, starting at zero or at --initial-state.\n"
          "State files hold Session::state_size() floats, one per line (%.9g, '#' comment and blank lines\n"
          "skipped): every recurrent layer's state in layer order (GRU, RNN: h). A stream split in two runs,\n"
          "the second started from the first one's --final-state, gives the outputs of one run bit for bit.",
      "grurt-run"};
  app.set_version_flag("--version", std::string("grurt-run ") + grurt::kVersion);
  Options o;
  app.add_option("model", o.model, "Model file (.grurt)")->required();
  app.add_option("-i,--input", o.input, "Input: CSV ('-' for standard input) or an audio file")->capture_default_str();
  app.add_option("-o,--output", o.output,
                 "Output: CSV ('-' for standard output, .csv, .txt) or audio (.wav, .flac, .aif, .aiff)")
      ->capture_default_str();
  app.add_option("--rate", o.rate,
                 "Sample rate of a CSV input in Hz: needed to write audio from CSV; also prints the real-time\n"
                 "factor line")
      ->check(CLI::Range(1, 10000000));
  app.add_option("--gain-in", o.gain_in_db,
                 "Multiply every input by 10^(DB/20) before the model (default 0 dB). These are your extra gains:\n"
                 "an AIDA-X file's own input and output gains are already inside the converted model")
      ->capture_default_str();
  app.add_option("--gain-out", o.gain_out_db, "Multiply every output by 10^(DB/20) (default 0 dB)")
      ->capture_default_str();
  const std::map<std::string, SampleFormat> formats{
      {"float", SampleFormat::kFloat}, {"pcm16", SampleFormat::kPcm16}, {"pcm24", SampleFormat::kPcm24}};
  SampleFormat format = SampleFormat::kFloat;
  CLI::Option* format_option = app.add_option("--format", format,
                 "Sample format of an audio output: float (32-bit; the default for WAV and AIFF), pcm16, or pcm24\n"
                 "(the default for FLAC, which has no float). PCM clips values beyond full scale (+-1) and says\n"
                 "on stderr how many samples it clipped")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case));
  app.add_flag("--refuse-non-finite", o.refuse_non_finite,
               "Stop with an error at an input 'nan' or 'inf' instead of streaming it (which would turn the\n"
               "state and every later output into NaN)");
  app.add_option("--initial-state", o.state_files.initial,
                 "Start from this state instead of zeros (a file of state_size() floats, one per line; a wrong\n"
                 "count or a NaN/inf is refused)");
  app.add_option("--final-state", o.state_files.final,
                 "After the stream, save the state to this file (one float per line)");
  app.add_flag("--integer", o.path.integer,
               "Run the model's integer path (grurt-convert --activations int16: IntegerSession, bit for bit what\n"
               "a core without an FPU computes): input floats are rounded to int16 at the model's input scale\n"
               "(clamped to its range; NaN refused), outputs are the int16 results times the output scale; state\n"
               "files hold the state as floats (an h in Q15, an LSTM's c in Q4.11)");
  app.add_flag("--int16", o.path.int16,
               "With --integer: rows hold the raw int16 values of IntegerSession::step() (inputs and outputs)");
  return grurt::tools::run_tool(app, argc, argv, [&] {
    if (format_option->count() != 0) o.format = format;
    return run(o);
  });
}
