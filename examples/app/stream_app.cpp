// Streams one line of comma-separated inputs per time step from standard
// input through a .grurt model; prints one line of outputs per step.
//   stream_app MODEL.grurt < input.csv
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include <grurt/grurt.hpp>
#include <grurt/owned_session.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: stream_app MODEL.grurt < input.csv\n";
    return 2;
  }
  std::ifstream file(argv[1], std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  // The model is read in place, so it needs 64-byte aligned memory.
  std::unique_ptr<char[], void (*)(char*)> data(
      static_cast<char*>(::operator new[](bytes.size() + 1, std::align_val_t{grurt::kModelAlignment})),
      [](char* p) { ::operator delete[](p, std::align_val_t{grurt::kModelAlignment}); });
  std::copy(bytes.begin(), bytes.end(), data.get());

  grurt::Model model;
  if (model.load(data.get(), bytes.size()) != grurt::Status::kOk) {
    std::cerr << "stream_app: " << model.error() << "\n";
    return 1;
  }
  grurt::OwnedSession session;
  if (session.init(model) != grurt::Status::kOk) {
    std::cerr << "stream_app: " << session.error() << "\n";
    return 1;
  }
  std::vector<float> input(model.input_size()), output(model.output_size());
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    for (float& value : input) {
      fields >> value;
      fields.ignore(1, ',');
    }
    session.step(input.data(), output.data());
    for (std::size_t i = 0; i < output.size(); ++i) std::printf(i ? ",%.9g" : "%.9g", output[i]);
    std::printf("\n");
  }
  return 0;
}
