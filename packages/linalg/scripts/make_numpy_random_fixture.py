"""Writes test/fixtures/numpy-random.json: outputs of numpy.random.default_rng.

The TypeScript port of NumPy's default generator (src/numpy-random.ts) must reproduce
these exactly: the raw 64-bit outputs of PCG64 for seeds of one, two and three 32-bit
words, and permutations of the sizes of the MovieLens user sets.

Run from packages/linalg: python3 scripts/make_numpy_random_fixture.py
"""
import json

import numpy as np

raw_seeds = [0, 1, 42, 2**32 + 5, 2**53 - 1]
raw = [
    {"seed": seed, "values": [str(int(v)) for v in np.random.default_rng(seed).bit_generator.random_raw(8)]}
    for seed in raw_seeds
]

permutation_cases = [(seed, n) for seed in range(5) for n in (1, 2, 10, 943)]
permutation_cases += [(0, 6040), (1000, 6040), (2**40 + 3, 100)]
permutations = [
    {"seed": seed, "n": n, "values": np.random.default_rng(seed).permutation(n).tolist()}
    for seed, n in permutation_cases
]

with open("test/fixtures/numpy-random.json", "w") as f:
    json.dump({"numpy": np.__version__, "raw": raw, "permutations": permutations}, f, separators=(",", ":"))
    f.write("\n")
