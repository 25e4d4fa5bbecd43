"""NumPy/SciPy reference for one evaluation of the NIMC loss and gradient.

    python3 bench/reference/nimc_reference.py --input PROBLEM.bin [--repeats 5]
        [--gradient-out GRADIENT.f64] [--block-size 65536]

Reads a problem file written by bench/lib/problem-file.mjs (X, Y, the observed pairs and
values, and a point U, V), evaluates

    f(U, V) = 1/(2m) sum_t (phi(U^T x_i)^T phi(V^T y_j) - A_ij)^2 + (l2/2)(|U|^2 + |V|^2)
    grad_U = X^T [(R Q / m) * phi'(XU)] + l2 U,  grad_V = Y^T [(R^T P / m) * phi'(YV)] + l2 V

with BLAS products for the dense parts and scipy.sparse CSR/CSC products for R Q and
R^T P. It prints one JSON object: the loss, the wall and CPU seconds of each repeat, and
the BLAS library and thread count it used. With --gradient-out it writes the
gradient [vec(U); vec(V)] (row-major, float64, little-endian) to that file.

The observations are sorted by row once, before timing, which builds the CSR structure;
each evaluation only writes the residuals into the CSR data array. The residuals
P_i . Q_j are computed in blocks of --block-size observations (0: all at once), because
gathering all m rows of P and Q at once needs 2 * m * k * 8 bytes of temporary memory.
Each block is one vectorized NumPy expression.
"""

import argparse
import ctypes
import json
import os
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp

MAGIC = b"NIMCPRB1"
DTYPES = {"float64": "<f8", "float32": "<f4", "int32": "<i4"}


def read_problem(path):
    with open(path, "rb") as handle:
        prefix = handle.read(12)
        if prefix[:8] != MAGIC:
            raise ValueError(f"invalid problem file {path}: expected the magic bytes {MAGIC!r}")
        length = int.from_bytes(prefix[8:12], "little")
        header = json.loads(handle.read(length).decode("utf-8"))
    arrays = {}
    for name, spec in header["arrays"].items():
        arrays[name] = np.fromfile(path, dtype=DTYPES[spec["dtype"]], count=spec["length"], offset=spec["offset"])
    n1, n2, d1, d2, k = (header[key] for key in ("n1", "n2", "d1", "d2", "k"))
    arrays["X"] = arrays["X"].reshape(n1, d1)
    arrays["Y"] = arrays["Y"].reshape(n2, d2)
    arrays["U"] = arrays["U"].reshape(d1, k)
    arrays["V"] = arrays["V"].reshape(d2, k)
    return header, arrays


def sigmoid(z):
    # Both branches take exp of a non-positive number, so neither overflows.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def activation_functions(name):
    if name == "relu":
        return (lambda z: np.maximum(z, 0.0)), (lambda z: (z > 0).astype(np.float64))
    if name == "sigmoid":
        def derivative(z):
            s = sigmoid(z)
            return s * (1.0 - s)
        return sigmoid, derivative
    if name == "tanh":
        return np.tanh, (lambda z: 1.0 - np.tanh(z) ** 2)
    if name == "identity":
        return (lambda z: z), (lambda z: np.ones_like(z))
    raise ValueError(f"invalid activation {name!r}: expected relu, sigmoid, tanh or identity")


class Reference:
    """The loss and gradient of one problem, with the CSR structure built once."""

    def __init__(self, header, arrays, block_size):
        self.X = arrays["X"]
        self.Y = arrays["Y"]
        self.k = header["k"]
        self.l2 = float(header.get("l2", 0.0))
        self.phi, self.phi_prime = activation_functions(header["activation"])
        n1, n2 = header["n1"], header["n2"]
        self.m = header["m"]
        order = np.argsort(arrays["rows"], kind="stable")
        self.rows = np.ascontiguousarray(arrays["rows"][order])
        self.columns = np.ascontiguousarray(arrays["columns"][order])
        self.values = np.ascontiguousarray(arrays["values"][order], dtype=np.float64)
        indptr = np.zeros(n1 + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.rows, minlength=n1), out=indptr[1:])
        # Repeated pairs stay separate entries, and the CSR and CSC products add them up.
        self.R = sp.csr_matrix((np.zeros(self.m), self.columns, indptr), shape=(n1, n2))
        self.RT = self.R.T  # a CSC view that shares R's data array
        self.residuals = self.R.data
        self.block_size = block_size if block_size > 0 else max(self.m, 1)

    def evaluate(self, U, V):
        Z1 = self.X @ U
        Z2 = self.Y @ V
        P = self.phi(Z1)
        Q = self.phi(Z2)

        for start in range(0, self.m, self.block_size):
            stop = min(start + self.block_size, self.m)
            rows = self.rows[start:stop]
            columns = self.columns[start:stop]
            np.einsum("ij,ij->i", P[rows], Q[columns], out=self.residuals[start:stop])
        self.residuals -= self.values
        loss = float(self.residuals @ self.residuals) / (2 * self.m)

        self.residuals /= self.m
        G1 = self.R @ Q
        G2 = self.RT @ P
        grad_U = self.X.T @ (G1 * self.phi_prime(Z1))
        grad_V = self.Y.T @ (G2 * self.phi_prime(Z2))
        if self.l2 != 0:
            loss += 0.5 * self.l2 * (float(np.sum(U * U)) + float(np.sum(V * V)))
            grad_U += self.l2 * U
            grad_V += self.l2 * V
        return loss, np.concatenate([grad_U.ravel(), grad_V.ravel()])


def openblas_from_maps():
    """Queries OpenBLAS through ctypes when threadpoolctl is not installed."""
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and "openblas" in os.path.basename(fields[-1]).lower():
                paths.add(fields[-1])
    found = []
    for path in sorted(paths):
        library = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", "64_"), ("openblas_", "")):
            try:
                threads = getattr(library, f"{prefix}get_num_threads{suffix}")
                corename = getattr(library, f"{prefix}get_corename{suffix}")
                config = getattr(library, f"{prefix}get_config{suffix}")
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            config.restype = ctypes.c_char_p
            found.append({
                "internal_api": "openblas",
                "num_threads": threads(),
                "architecture": corename().decode(),
                "version": config().decode(),
                "filepath": path,
                "source": "ctypes",
            })
            break
    return found


def blas_info():
    try:
        import threadpoolctl
    except ImportError:
        libraries = openblas_from_maps()
    else:
        keys = ("internal_api", "num_threads", "architecture", "version", "filepath")
        libraries = [{key: entry.get(key) for key in keys} | {"source": "threadpoolctl"} for entry in threadpoolctl.threadpool_info()]
    environment = {
        name: os.environ[name]
        for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
        if name in os.environ
    }
    return {"libraries": libraries, "environment": environment, "cpu_count": os.cpu_count()}


def main():
    parser = argparse.ArgumentParser(description="NumPy/SciPy reference for the NIMC loss and gradient.")
    parser.add_argument("--input", required=True, help="problem file written by bench/lib/problem-file.mjs")
    parser.add_argument("--repeats", type=int, default=5, help="timed evaluations after one untimed warm-up")
    parser.add_argument("--gradient-out", help="file that receives the gradient as raw little-endian float64")
    parser.add_argument("--block-size", type=int, default=2048, help="observations per residual block; 0 for one block")
    options = parser.parse_args()

    started = time.perf_counter()
    header, arrays = read_problem(options.input)
    reference = Reference(header, arrays, options.block_size)
    setup_seconds = time.perf_counter() - started
    U, V = arrays["U"], arrays["V"]

    loss, gradient = reference.evaluate(U, V)
    wall, cpu = [], []
    for _ in range(options.repeats):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        loss, gradient = reference.evaluate(U, V)
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)

    if options.gradient_out:
        gradient.astype("<f8").tofile(options.gradient_out)
    json.dump({
        "loss": loss,
        "gradientNorm": float(np.linalg.norm(gradient)),
        "setupSeconds": setup_seconds,
        "wallSeconds": wall,
        "cpuSeconds": cpu,
        "blockSize": options.block_size,
        "blas": blas_info(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
