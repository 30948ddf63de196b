// grurt-amp: an LV2 audio plugin that streams every sample of a mono channel
// through a .grurt model (one input, one output), the way amp and pedal
// models are run in a host. The model is the bundle's `model.grurt`, read and
// verified once at instantiation; run() then only calls Session::run on the
// host's buffer, in chunks of kChunk frames: no allocation, no file access,
// no locks, so the plugin declares itself hard real-time capable.
#include <lv2/core/lv2.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>
#include <string>

#include "grurt/grurt.hpp"

namespace {

constexpr const char* kUri = "urn:grurt:lv2:amp";
constexpr std::uint32_t kChunk = 256;  // frames per Session::run call: the size of the gain buffer

enum Port : std::uint32_t { kIn = 0, kOut = 1, kGainIn = 2, kGainOut = 3, kPortCount = 4 };

// Memory the plugin owns, 64-byte aligned (models and arenas need kModelAlignment).
struct AlignedBlock {
  void* data = nullptr;
  bool allocate(std::size_t size) noexcept {
    data = ::operator new(size == 0 ? 1 : size, std::align_val_t{grurt::kModelAlignment}, std::nothrow);
    return data != nullptr;
  }
  ~AlignedBlock() {
    if (data != nullptr) ::operator delete(data, std::align_val_t{grurt::kModelAlignment}, std::nothrow);
  }
};

// A control port's decibels as a factor, recomputed only when the host moves the control.
struct Gain {
  float decibels = 0.0f;
  float factor = 1.0f;
  float update(const float* port) noexcept {
    const float db = port != nullptr ? *port : 0.0f;
    if (db != decibels) {
      decibels = db;
      factor = static_cast<float>(std::pow(10.0, static_cast<double>(db) / 20.0));
    }
    return factor;
  }
};

struct Amp {
  AlignedBlock model_bytes;
  AlignedBlock arena;
  grurt::Model model;
  grurt::Session session;
  const float* ports_in[kPortCount] = {};
  float* out = nullptr;
  Gain gain_in, gain_out;
  float scaled[kChunk];  // the input times gain_in, as the model reads it
};

void complain(const std::string& path, const std::string& what) {
  std::fprintf(stderr, "grurt-amp: %s: %s\n", path.c_str(), what.c_str());
}

// Reads and verifies the bundle's model, then prepares its session: everything
// that allocates or touches files happens here, before the host runs audio.
bool load(Amp& amp, const std::string& path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    complain(path, "cannot be opened (the bundle's model.grurt: convert a model with grurt-convert and put it there)");
    return false;
  }
  const auto size = static_cast<std::size_t>(file.tellg());
  file.seekg(0);
  if (!amp.model_bytes.allocate(size) || !file.read(static_cast<char*>(amp.model_bytes.data), size)) {
    complain(path, "cannot be read");
    return false;
  }
  if (amp.model.load(amp.model_bytes.data, size) != grurt::Status::kOk) {
    complain(path, amp.model.error());
    return false;
  }
  if (amp.model.input_size() != 1 || amp.model.output_size() != 1) {
    complain(path, "has " + std::to_string(amp.model.input_size()) + " inputs and " +
                       std::to_string(amp.model.output_size()) +
                       " outputs; this plugin is mono in, mono out and needs a model with 1 of each");
    return false;
  }
  if (!amp.arena.allocate(amp.model.arena_bytes()) ||
      amp.session.init(amp.model, amp.arena.data, amp.model.arena_bytes()) != grurt::Status::kOk) {
    complain(path, amp.session.error());
    return false;
  }
  return true;
}

LV2_Handle instantiate(const LV2_Descriptor*, double, const char* bundle_path, const LV2_Feature* const*) {
  Amp* amp = new (std::nothrow) Amp;
  if (amp == nullptr) return nullptr;
  std::string path = bundle_path;
  if (!path.empty() && path.back() != '/') path += '/';
  if (!load(*amp, path + "model.grurt")) {
    delete amp;
    return nullptr;
  }
  return amp;
}

void connect_port(LV2_Handle handle, std::uint32_t port, void* data) {
  Amp& amp = *static_cast<Amp*>(handle);
  if (port == kOut) amp.out = static_cast<float*>(data);
  else if (port < kPortCount) amp.ports_in[port] = static_cast<const float*>(data);
}

void activate(LV2_Handle handle) { static_cast<Amp*>(handle)->session.reset(); }

void run(LV2_Handle handle, std::uint32_t frames) {
  Amp& amp = *static_cast<Amp*>(handle);
  const float* in = amp.ports_in[kIn];
  float* out = amp.out;
  if (in == nullptr || out == nullptr) return;
  const float gain_in = amp.gain_in.update(amp.ports_in[kGainIn]);
  const float gain_out = amp.gain_out.update(amp.ports_in[kGainOut]);
  for (std::uint32_t done = 0; done < frames;) {
    const std::uint32_t n = std::min(kChunk, frames - done);
    for (std::uint32_t i = 0; i < n; ++i) amp.scaled[i] = in[done + i] * gain_in;
    amp.session.run(amp.scaled, out + done, n);  // in may alias out: it was copied to scaled first
    for (std::uint32_t i = 0; i < n; ++i) out[done + i] *= gain_out;
    done += n;
  }
  // A NaN or infinity from the host would stay in the recurrent state for
  // good; start from silence instead, as the plugin does on activation.
  if (!amp.session.state_is_finite()) {
    amp.session.reset();
    std::fill(out, out + frames, 0.0f);
  }
}

void cleanup(LV2_Handle handle) { delete static_cast<Amp*>(handle); }

const LV2_Descriptor kDescriptor = {kUri, instantiate, connect_port, activate, run, nullptr, cleanup, nullptr};

}  // namespace

extern "C" LV2_SYMBOL_EXPORT const LV2_Descriptor* lv2_descriptor(std::uint32_t index) {
  return index == 0 ? &kDescriptor : nullptr;
}
