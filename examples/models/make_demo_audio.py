#!/usr/bin/python3
"""Writes demo_input.wav, the audio half of scripts/demo.sh.

Run:  /usr/bin/python3 examples/models/make_demo_audio.py   (standard library only)
Writes (committed): demo_input.wav, one second of mono 16-bit PCM at 48 kHz (96 KB):
a sine at 0.1 cycles per sample (4.8 kHz), the task the demo model (demo.pt,
train_demo_model.py) was trained on, at 0.8 of full scale with 10 ms fades,
so grurt-run's output WAV holds the model's prediction of each next sample.
"""
import math
import os
import struct
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
RATE = 48000
FADE = RATE // 100

samples = []
for t in range(RATE):
    envelope = min(1.0, t / FADE, (RATE - 1 - t) / FADE)
    samples.append(round(0.8 * 32767 * envelope * math.sin(2 * math.pi * 0.1 * t + 0.3)))
with wave.open(os.path.join(HERE, "demo_input.wav"), "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(RATE)
    w.writeframes(struct.pack("<%dh" % len(samples), *samples))
