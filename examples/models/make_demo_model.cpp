// Writes examples/models/demo.grurt from demo_weights.txt (made by train_demo_model.py).
// usage: make_demo_model demo_weights.txt demo.grurt
#include <cstdio>
#include <exception>
#include <fstream>

#include "grurt_convert/model_writer.hpp"
#include "torch_text_model.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_demo_model WEIGHTS.txt OUT.grurt\n");
    return 2;
  }
  try {
    auto demo = grurt::examples::read_torch_text_model(argv[1]);
    demo.model.layers[0].name = "gru";
    demo.model.layers[1].name = "head";
    demo.model.metadata.producer = "grurt examples/models/make_demo_model";
    demo.model.metadata.source = "examples/models/demo_weights.txt";
    demo.model.metadata.description =
        "next-sample predictor for a sine wave: GRU(1 -> 16) + Linear(16 -> 1), trained by train_demo_model.py";
    const auto bytes = grurt::convert::write_model(demo.model);
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error(std::string("cannot write ") + argv[2]);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_demo_model: %s\n", e.what());
    return 1;
  }
}
