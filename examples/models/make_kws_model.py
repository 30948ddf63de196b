#!/usr/bin/python3
"""Writes a keyword-spotting-sized model: GRU(40 -> 64) + Linear(64 -> 12), the
shape of a small KWS network (40 log-mel features per frame, 12 classes),
with PyTorch's default random initialisation (seeded). Its weights are not
trained: it measures the integer path's cost and accuracy at that size on the
Cortex-M firmware, not keyword spotting.

Run with Debian's python3-torch:  /usr/bin/python3 examples/models/make_kws_model.py
Writes (all committed):
  kws.pt             torch.save(model.state_dict())
  kws_input.csv      20 frames of 40 N(0,1) features, one time step per line
  kws_expected.csv   PyTorch's outputs for them (float64), which the tests compare against
  kws_torch_dynamic_error.txt  max |output - float64 output| of PyTorch's own int8 model
                     (torch.ao.quantization.quantize_dynamic, float32): the accuracy anchor
                     of grurt's integer path (tests/convert/test_integer_path.sh)
"""
import os

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(40)


class Kws(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(40, 64, batch_first=True)
        self.head = torch.nn.Linear(64, 12)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.head(h)


model = Kws()
torch.save(model.state_dict(), os.path.join(here, "kws.pt"))
frames = np.random.default_rng(40).normal(0.0, 1.0, (20, 40)).astype(np.float32)
np.savetxt(os.path.join(here, "kws_input.csv"), frames, delimiter=",", fmt="%.9g",
           header="20 frames of 40 N(0,1) features (make_kws_model.py)")
quantized = torch.ao.quantization.quantize_dynamic(model, {torch.nn.GRU, torch.nn.Linear}, dtype=torch.qint8)
with torch.no_grad():
    dynamic = quantized(torch.from_numpy(frames).unsqueeze(0))[0].double().numpy()
    expected = model.double()(torch.from_numpy(frames).double().unsqueeze(0))[0].numpy()
with open(os.path.join(here, "kws_torch_dynamic_error.txt"), "w") as out:
    out.write("%.9g\n" % np.max(np.abs(dynamic - expected)))
np.savetxt(os.path.join(here, "kws_expected.csv"), expected, delimiter=",", fmt="%.17g",
           header="PyTorch float64 outputs of kws.pt for kws_input.csv (make_kws_model.py)")
