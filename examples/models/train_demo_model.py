#!/usr/bin/python3
"""Trains the demo model and writes its weights, input and PyTorch outputs.

Run with Debian's python3-torch:  /usr/bin/python3 examples/models/train_demo_model.py [lstm]
Writes (all committed):
  demo.pt             torch.save(model.state_dict()): what scripts/demo.sh converts with grurt-convert
  demo_input.csv      the demo input, one time step per line, for grurt-run
  demo_expected.csv   PyTorch's outputs for it (float64), which the tests compare against
With the argument "lstm", the same task with an LSTM(1 -> 16) + Linear(16 -> 1)
(the Cortex-M firmware's second model), written as demo_lstm.pt and
demo_lstm_expected.csv (same input).

The task: a sine wave of unknown frequency arrives one sample per step; the
model predicts the next sample. A GRU(1 -> 16) + Linear(16 -> 1), trained for
a few seconds on CPU, learns it well enough to follow the wave after a few
steps, which makes a demo whose numbers mean something.
"""
import math
import os
import sys
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(2026)
LSTM = sys.argv[1:] == ["lstm"]


class Predictor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        if LSTM:
            self.lstm = torch.nn.LSTM(1, 16)
        else:
            self.gru = torch.nn.GRU(1, 16)
        self.head = torch.nn.Linear(16, 1)

    def forward(self, x):
        y, _ = (self.lstm if LSTM else self.gru)(x)
        return self.head(y)


def waves(batch, steps):
    freq = torch.empty(1, batch, 1).uniform_(0.05, 0.25)
    phase = torch.empty(1, batch, 1).uniform_(0, 2 * math.pi)
    t = torch.arange(steps + 1, dtype=torch.float32).view(-1, 1, 1)
    return torch.sin(2 * math.pi * freq * t + phase)


model = Predictor()
optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
for step in range(400):
    seq = waves(64, 60)
    loss = torch.nn.functional.mse_loss(model(seq[:-1]), seq[1:])
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
print("final training loss %.5f" % loss.item())

# The demo input: 40 samples of a wave at 0.1 cycles per step.
steps = 40
demo = torch.sin(2 * math.pi * 0.1 * torch.arange(steps, dtype=torch.float32) + 0.3).view(steps, 1)
with torch.no_grad():
    expected = model.double()(demo.double().view(steps, 1, 1)).view(steps, 1)
model.float()


if LSTM:
    torch.save(model.state_dict(), os.path.join(HERE, "demo_lstm.pt"))
    with open(os.path.join(HERE, "demo_lstm_expected.csv"), "w") as f:
        for v in expected.flatten().tolist():
            f.write("%.9g\n" % v)
    sys.exit(0)
torch.save(model.state_dict(), os.path.join(HERE, "demo.pt"))
with open(os.path.join(HERE, "demo_input.csv"), "w") as f:
    f.write("# sin(2*pi*0.1*t + 0.3), one sample per time step; the model predicts the next sample\n")
    for v in demo.flatten().tolist():
        f.write("%.9g\n" % v)
with open(os.path.join(HERE, "demo_expected.csv"), "w") as f:
    for v in expected.flatten().tolist():
        f.write("%.9g\n" % v)
