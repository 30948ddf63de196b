/* The tests' own reader of audio files, straight on libsndfile (not grurt-run's
 * reader): prints a header line "# WAV FLOAT 2 channels 22050 Hz 500 frames",
 * then one CSV row per frame, samples as floats (libsndfile's normalisation:
 * 16-bit PCM k as k / 32768) printed with %.9g.
 * usage: audio_to_csv FILE */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>

static const char* major_name(int format) {
  switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: return "WAV";
    case SF_FORMAT_AIFF: return "AIFF";
    case SF_FORMAT_FLAC: return "FLAC";
    default: return "OTHER";
  }
}

static const char* subtype_name(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_16: return "PCM_16";
    case SF_FORMAT_PCM_24: return "PCM_24";
    case SF_FORMAT_FLOAT: return "FLOAT";
    default: return "OTHER";
  }
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: audio_to_csv FILE\n");
    return 2;
  }
  SF_INFO info = {0};
  SNDFILE* file = sf_open(argv[1], SFM_READ, &info);
  if (!file) {
    fprintf(stderr, "audio_to_csv: %s: %s\n", argv[1], sf_strerror(NULL));
    return 1;
  }
  printf("# %s %s %d channels %d Hz %lld frames\n", major_name(info.format), subtype_name(info.format), info.channels,
         info.samplerate, (long long)info.frames);
  float* frame = malloc(sizeof(float) * (size_t)info.channels);
  while (frame && sf_readf_float(file, frame, 1) == 1) {
    for (int c = 0; c < info.channels; ++c) printf(c ? ",%.9g" : "%.9g", frame[c]);
    printf("\n");
  }
  free(frame);
  sf_close(file);
  return 0;
}
