#!/usr/bin/python3
"""Coefficients of the polynomial in runtime/src/kernels/fast_activations.hpp.

e^r for |r| <= ln(2)/2 is written 1 + r + r^2 q(r), q of degree 4 (so e^0 is
exactly 1 and the two largest terms carry no coefficient error), and q is
fitted for the least maximum relative error by Lawson's iteratively
reweighted least squares on Chebyshev points. Prints the truncation error
(about 3e-9; float rounding adds the rest of the tested 1.2e-7) and the
coefficients rounded to float, as the header's exp_constants::kPolynomial holds them.
Run with Debian's python3-numpy: /usr/bin/python3 scripts/fit_exp_polynomial.py
"""
import numpy as np

DEGREE = 6  # of the whole polynomial
R = np.log(2) / 2 * 1.0001  # a little beyond the reduced range, for its rounding

r = np.cos(np.linspace(0, np.pi, 4000)) * R
basis = np.stack([r ** (k + 2) / np.exp(r) for k in range(DEGREE - 1)], axis=1)
target = (np.exp(r) - 1 - r) / np.exp(r)
weights = np.ones_like(r)
for _ in range(30):
    root = np.sqrt(weights)
    coefficients, *_ = np.linalg.lstsq(basis * root[:, None], target * root, rcond=None)
    error = np.abs(basis @ coefficients - target)
    weights = weights * error
    weights /= weights.sum()
print(f"max relative truncation error on |r| <= {R:.6f}: {error.max():.3g}")
# As exp_constants::kPolynomial holds them: q's coefficients, highest power first.
print("kPolynomial[5] = {" + ", ".join(f"{np.float32(c)!r}f" for c in coefficients[::-1]) + "};")
