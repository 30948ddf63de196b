/* A minimal LV2 host for the tests: loads a plugin binary with dlopen, runs
 * it over a mono audio file in blocks of BLOCK frames (the last one shorter),
 * controls at their defaults (0 dB), and prints one output sample per line
 * (%.9g). lv2apply always runs one frame per call; real hosts run the buffer
 * size they chose, so the tests compare several block sizes with it.
 * usage: lv2_run_blocks PLUGIN.so BUNDLE_DIR/ FILE BLOCK */
#include <dlfcn.h>
#include <lv2/core/lv2.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: lv2_run_blocks PLUGIN.so BUNDLE_DIR/ FILE BLOCK\n");
    return 2;
  }
  const long block = strtol(argv[4], NULL, 10);
  void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    fprintf(stderr, "%s\n", dlerror());
    return 1;
  }
  LV2_Descriptor_Function entry = (LV2_Descriptor_Function)dlsym(library, "lv2_descriptor");
  const LV2_Descriptor* plugin = entry != NULL ? entry(0) : NULL;
  SF_INFO info = {0};
  SNDFILE* file = sf_open(argv[3], SFM_READ, &info);
  if (plugin == NULL || file == NULL || info.channels != 1 || block < 1) {
    fprintf(stderr, "no plugin, an unreadable or non-mono file, or a block below 1\n");
    return 1;
  }
  float* in = malloc(sizeof(float) * (size_t)info.frames);
  float* out = malloc(sizeof(float) * (size_t)info.frames);
  if (in == NULL || out == NULL || sf_readf_float(file, in, info.frames) != info.frames) return 1;
  sf_close(file);
  static const LV2_Feature* const no_features[] = {NULL};
  LV2_Handle handle = plugin->instantiate(plugin, info.samplerate, argv[2], no_features);
  if (handle == NULL) {
    fprintf(stderr, "the plugin could not be instantiated\n");
    return 1;
  }
  float gain_in = 0.0f, gain_out = 0.0f;
  plugin->connect_port(handle, 2, &gain_in);
  plugin->connect_port(handle, 3, &gain_out);
  if (plugin->activate != NULL) plugin->activate(handle); /* both optional in LV2 */
  for (sf_count_t done = 0; done < info.frames; done += block) {
    const sf_count_t n = info.frames - done < block ? info.frames - done : block;
    plugin->connect_port(handle, 0, in + done);
    plugin->connect_port(handle, 1, out + done);
    plugin->run(handle, (uint32_t)n);
  }
  if (plugin->deactivate != NULL) plugin->deactivate(handle);
  plugin->cleanup(handle);
  for (sf_count_t i = 0; i < info.frames; ++i) printf("%.9g\n", out[i]);
  free(in);
  free(out);
  return 0;
}
