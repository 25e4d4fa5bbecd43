"""Writes the numpy results that the tests compare with.

- test/fixtures/reference.json: products and singular values.
- test/fixtures/decompositions.json: eigenvalues, SVD, QR, solves, inverse and Cholesky
  factor of small matrices.

Run from packages/linalg: python3 scripts/make_fixtures.py
The inputs are drawn by numpy from fixed seeds and stored in the fixtures with the results,
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

# Decompositions, from a generator of their own so that reference.json stays the same.
rng = np.random.default_rng(20261205)

g = rng.standard_normal((6, 6))
symmetric = (g + g.T) / 2
symmetric_values, symmetric_vectors = np.linalg.eigh(symmetric)

# Real eigenvalues 3, -2, 1.5, 0.5, -0.25 by construction: basis · diag · basis⁻¹.
basis = rng.standard_normal((5, 5))
real_spectrum = np.array([3.0, -2.0, 1.5, 0.5, -0.25])
general_real = basis @ np.diag(real_spectrum) @ np.linalg.inv(basis)

# A rotation block gives the complex pair 1 ± 2i, next to the real eigenvalues 3 and -1.
basis_complex = rng.standard_normal((4, 4))
block = np.array([[1.0, 2.0, 0.0, 0.0], [-2.0, 1.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0], [0.0, 0.0, 0.0, -1.0]])
general_complex = basis_complex @ block @ np.linalg.inv(basis_complex)
complex_values = np.linalg.eigvals(general_complex)

tall_svd = rng.standard_normal((7, 4))
tall_u, tall_s, tall_vt = np.linalg.svd(tall_svd, full_matrices=False)
wide_svd = rng.standard_normal((3, 6))
wide_u, wide_s, wide_vt = np.linalg.svd(wide_svd, full_matrices=False)

qr_input = rng.standard_normal((6, 3))
qr_q, qr_r = np.linalg.qr(qr_input)

square = rng.standard_normal((5, 5))
right_matrix = rng.standard_normal((5, 2))
right_vector = rng.standard_normal(5)

h = rng.standard_normal((5, 5))
positive_definite = h @ h.T + 0.5 * np.eye(5)
lower = np.linalg.cholesky(positive_definite)


def flat(x):
    return np.asarray(x, dtype=float).ravel().tolist()


decompositions = {
    "symmetric": matrix(symmetric),
    "symmetricValues": flat(symmetric_values),
    "symmetricVectors": matrix(symmetric_vectors),
    "generalReal": matrix(general_real),
    "generalRealValues": flat(real_spectrum),
    "generalComplex": matrix(general_complex),
    "generalComplexReal": flat(complex_values.real),
    "generalComplexImaginary": flat(complex_values.imag),
    "tallSvd": matrix(tall_svd),
    "tallSvdU": matrix(tall_u),
    "tallSvdValues": flat(tall_s),
    "tallSvdV": matrix(tall_vt.T),
    "wideSvd": matrix(wide_svd),
    "wideSvdU": matrix(wide_u),
    "wideSvdValues": flat(wide_s),
    "wideSvdV": matrix(wide_vt.T),
    "qrInput": matrix(qr_input),
    "qrQ": matrix(qr_q),
    "qrR": matrix(qr_r),
    "square": matrix(square),
    "rightMatrix": matrix(right_matrix),
    "rightVector": flat(right_vector),
    "solveMatrix": matrix(np.linalg.solve(square, right_matrix)),
    "solveVector": flat(np.linalg.solve(square, right_vector)),
    "squareInverse": matrix(np.linalg.inv(square)),
    "positiveDefinite": matrix(positive_definite),
    "choleskyLower": matrix(lower),
    "choleskySolveMatrix": matrix(np.linalg.solve(positive_definite, right_matrix)),
    "choleskySolveVector": flat(np.linalg.solve(positive_definite, right_vector)),
}

with open("test/fixtures/decompositions.json", "w") as out:
    json.dump(decompositions, out)
    out.write("\n")
