"""Logistic regression in numpy: one-vs-rest and softmax, over sparse and dense features.

Hand-written rather than scikit-learn because the job is small (a few thousand rows, a few
classes) and the bot must not carry a 100 MB dependency for it. Fitting is deterministic:
full-batch L-BFGS from zeros, the same answer on every run, so `models train` can be checked
against the shipped file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Sparse:
    """A CSR matrix: row i holds `data[indptr[i]:indptr[i+1]]` at columns `indices[...]`."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    columns: int

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """self @ weights, for weights of shape (columns, k)."""
        products = self.data[:, None] * weights[self.indices]
        sums = np.add.reduceat(products, self.indptr[:-1], axis=0) if len(products) else None
        out = np.zeros((self.rows, weights.shape[1]), dtype=np.float64)
        if sums is not None:
            nonempty = np.diff(self.indptr) > 0
            out[nonempty] = sums[nonempty]
        return out

    def dense(self) -> np.ndarray:
        out = np.zeros((self.rows, self.columns), dtype=np.float32)
        rows = np.repeat(np.arange(self.rows), np.diff(self.indptr))
        out[rows, self.indices] = self.data
        return out

    def take(self, rows: np.ndarray) -> Sparse:
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        pieces = [np.arange(s, e) for s, e in zip(starts, ends, strict=True)]
        picked = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int64)
        return Sparse(indptr, self.indices[picked], self.data[picked], self.columns)


Features = Sparse | np.ndarray


def _dot(x: Features, w: np.ndarray) -> np.ndarray:
    return x.dot(w) if isinstance(x, Sparse) else x @ w


def _columns(x: Features) -> int:
    return x.columns if isinstance(x, Sparse) else x.shape[1]


def lbfgs(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: np.ndarray,
    *,
    iterations: int = 300,
    memory: int = 10,
    tolerance: float = 1e-6,
) -> np.ndarray:
    """Minimise a smooth convex objective; deterministic given the same start."""
    w = start.astype(np.float64).copy()
    loss, grad = objective(w)
    s_list: list[np.ndarray] = []
    y_list: list[np.ndarray] = []
    for _ in range(iterations):
        if np.abs(grad).max() < tolerance:
            break
        q = grad.copy()
        alphas = []
        for s, y in zip(reversed(s_list), reversed(y_list), strict=True):
            a = float(s @ q) / float(y @ s)
            alphas.append(a)
            q -= a * y
        if s_list:
            q *= float(s_list[-1] @ y_list[-1]) / float(y_list[-1] @ y_list[-1])
        for (s, y), a in zip(zip(s_list, y_list, strict=True), reversed(alphas), strict=True):
            b = float(y @ q) / float(y @ s)
            q += (a - b) * s
        direction = -q
        slope = float(grad @ direction)
        if slope >= 0:  # not a descent direction: restart from the gradient
            s_list.clear()
            y_list.clear()
            direction, slope = -grad, -float(grad @ grad)
        step = 1.0
        for _ in range(30):
            candidate = w + step * direction
            new_loss, new_grad = objective(candidate)
            if new_loss <= loss + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break
        s, y = candidate - w, new_grad - grad
        if float(s @ y) > 1e-12:
            s_list.append(s)
            y_list.append(y)
            if len(s_list) > memory:
                s_list.pop(0)
                y_list.pop(0)
        improvement = loss - new_loss
        w, loss, grad = candidate, new_loss, new_grad
        if improvement < tolerance * max(1.0, abs(loss)) * 1e-3:
            break
    return w


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def fit_one_vs_rest(
    x: Features, targets: np.ndarray, sample_weights: np.ndarray, l2: float
) -> tuple[np.ndarray, np.ndarray]:
    """k binary logistic regressions at once. targets, sample_weights: (rows, k) of 0/1 and
    weights. Returns (weights (columns, k), bias (k,)). The bias is not penalised."""
    d, k = _columns(x), targets.shape[1]
    total = sample_weights.sum(axis=0)
    # A few thousand rows fit densely in memory, and BLAS beats any numpy sparse product.
    x = x.dense() if isinstance(x, Sparse) else x.astype(np.float32)
    xt = x.T

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = flat[: d * k].reshape(d, k), flat[d * k :]
        z = (x @ w.astype(np.float32)).astype(np.float64) + b
        # log(1 + e^z) - t z, computed stably
        loss_rows = np.logaddexp(0.0, z) - targets * z
        loss = float((sample_weights * loss_rows).sum(axis=0) @ (1 / total))
        loss += 0.5 * l2 * float((w * w).sum())
        r = sample_weights * (_sigmoid(z) - targets) / total
        grad_w = (xt @ r.astype(np.float32)).astype(np.float64) + l2 * w
        return loss, np.concatenate([grad_w.ravel(), r.sum(axis=0)])

    flat = lbfgs(objective, np.zeros(d * k + k), iterations=120)
    return flat[: d * k].reshape(d, k), flat[d * k :]


def fit_softmax(
    x: np.ndarray, classes: np.ndarray, k: int, sample_weights: np.ndarray, l2: float
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression; classes: (rows,) ints in [0, k)."""
    d = x.shape[1]
    onehot = np.zeros((len(classes), k))
    onehot[np.arange(len(classes)), classes] = 1.0
    total = sample_weights.sum()

    def objective(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = flat[: d * k].reshape(d, k), flat[d * k :]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -float((sample_weights * (onehot * log_p).sum(axis=1)).sum()) / total
        loss += 0.5 * l2 * float((w * w).sum())
        r = (np.exp(log_p) - onehot) * (sample_weights / total)[:, None]
        grad_w = x.T @ r + l2 * w
        return loss, np.concatenate([grad_w.ravel(), r.sum(axis=0)])

    flat = lbfgs(objective, np.zeros(d * k + k), iterations=500)
    return flat[: d * k].reshape(d, k), flat[d * k :]


def predict_one_vs_rest(x: Features, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _sigmoid(_dot(x, w) + b)


def predict_softmax(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    z = x @ w + b
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
