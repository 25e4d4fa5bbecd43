"""Write test/fixtures/gaussian-moments.json: reference values of E[phi(sigma z) z^j] and
E[phi(sigma z)^2] for z ~ N(0, 1), computed with mpmath at 40 significant digits.

Run from packages/activations: python3 scripts/generate-moment-fixture.py
Requires mpmath (tested with 1.3.0).
"""

import json
from pathlib import Path

import mpmath as mp

mp.mp.dps = 40

ACTIVATIONS = {
    "sigmoid": lambda t: 1 / (1 + mp.exp(-t)),
    "tanh": mp.tanh,
    "relu": lambda t: t if t > 0 else mp.mpf(0),
    "identity": lambda t: t,
}
SIGMAS = ["0.05", "0.3", "0.75", "0.8", "1", "1.5", "2.5", "5", "10", "40", "-1.5"]
MAX_ORDER = 8


def gaussian_expectation(f, sigma):
    # The integrand varies on the scale 1/|sigma| near 0, so split the line there.
    scale = 1 / abs(sigma)
    inner = [scale * c for c in (mp.mpf("0.125"), mp.mpf("0.5"), 1, 2, 4, 8)]
    points = sorted(set([mp.mpf(0)] + inner + [-p for p in inner] + [-12, -40, 12, 40]))
    points = [p for p in points if abs(p) <= 40]
    density = lambda z: mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)
    return mp.quad(lambda z: f(z) * density(z), points)


def main():
    records = []
    for name, phi in ACTIVATIONS.items():
        for text in SIGMAS:
            sigma = mp.mpf(text)
            moments = [
                gaussian_expectation(lambda z, j=j: phi(sigma * z) * z**j, sigma)
                for j in range(MAX_ORDER + 1)
            ]
            mean_square = gaussian_expectation(lambda z: phi(sigma * z) ** 2, sigma)
            records.append(
                {
                    "activation": name,
                    "sigma": float(sigma),
                    "moments": [mp.nstr(value, 20) for value in moments],
                    "meanSquare": mp.nstr(mean_square, 20),
                }
            )
    target = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "gaussian-moments.json"
    target.write_text(json.dumps({"generator": "scripts/generate-moment-fixture.py", "records": records}, indent=1) + "\n")


if __name__ == "__main__":
    main()
