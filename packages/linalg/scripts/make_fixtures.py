"""Writes test/fixtures/reference.json: products and singular values computed by numpy.

Run from packages/linalg: python3 scripts/make_fixtures.py
The inputs are drawn by numpy from a fixed seed and stored in the fixture with the results,
so the TypeScript tests need no random generator of their own.
"""
import json

import numpy as np

rng = np.random.default_rng(20261204)

a = rng.standard_normal((7, 5))
b = rng.standard_normal((5, 6))
c = rng.standard_normal((7, 6))
d = rng.standard_normal((4, 5))

# A sparse 40x30 matrix with 150 observed entries; repeated positions add up.
n1, n2, m = 40, 30, 150
rows = rng.integers(0, n1, m)
columns = rng.integers(0, n2, m)
values = rng.standard_normal(m)
dense_sparse = np.zeros((n1, n2))
np.add.at(dense_sparse, (rows, columns), values)
q = rng.standard_normal((n2, 4))
p = rng.standard_normal((n1, 4))

# A tall matrix with a clear spectrum for the dense and sparse SVD checks.
tall = rng.standard_normal((60, 12)) @ np.diag(np.linspace(10, 1, 12)) @ np.linalg.qr(rng.standard_normal((12, 12)))[0]
_, tall_values, tall_vt = np.linalg.svd(tall, full_matrices=False)
_, sparse_values, sparse_vt = np.linalg.svd(dense_sparse, full_matrices=False)


def matrix(x):
    return {"rows": x.shape[0], "columns": x.shape[1], "data": x.ravel().tolist()}


fixture = {
    "a": matrix(a),
    "b": matrix(b),
    "c": matrix(c),
    "d": matrix(d),
    "aTimesB": matrix(a @ b),
    "aTransposeTimesC": matrix(a.T @ c),
    "aTimesDTranspose": matrix(a @ d.T),
    "sparse": {
        "n1": n1,
        "n2": n2,
        "rows": rows.tolist(),
        "columns": columns.tolist(),
        "values": values.tolist(),
        "q": matrix(q),
        "p": matrix(p),
        "rTimesQ": matrix(dense_sparse @ q),
        "rTransposeTimesP": matrix(dense_sparse.T @ p),
        "singularValues": sparse_values[:5].tolist(),
        "rightSingularVectors": matrix(sparse_vt[:5].T),
    },
    "tall": matrix(tall),
    "tallSingularValues": tall_values[:4].tolist(),
    "tallRightSingularVectors": matrix(tall_vt[:4].T),
}

with open("test/fixtures/reference.json", "w") as out:
    json.dump(fixture, out)
    out.write("\n")
