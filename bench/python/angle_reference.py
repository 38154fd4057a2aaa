"""Reference values for the AnglE objective tests (bellm-model ai.bellm.loss).

Written from the definitions with plain loops, math and Python complex numbers, deliberately unlike the Java code
(which works on whole NDArrays, masks and log-softmax), so that the two are independent computations.
Run:  python bench/python/angle_reference.py     (numpy only; prints the values pasted into AnglEObjectiveTest)
"""
import math

import numpy as np

TAU = 20.0

# scored pairs: B = 4, D = 4; pairs 1 and 2 share a gold score (a tie forms no ranking pair)
U = np.array([[0.9, 0.1, -0.3, 0.4], [0.2, 0.8, 0.5, -0.1], [-0.5, 0.3, 0.7, 0.2], [0.4, -0.6, 0.2, 0.9]])
V = np.array([[0.8, 0.3, -0.2, 0.5], [0.6, -0.4, 0.1, 0.3], [0.1, 0.9, -0.6, 0.4], [0.5, -0.2, 0.6, 0.7]])
Y = [4.6, 2.1, 2.1, 4.0]
SCORE_MIN, SCORE_MAX, THRESHOLD = 0.0, 5.0, 0.8

# positive pairs / triplets: B = 3, D = 3
A = np.array([[1.0, 0.2, -0.1], [0.3, 0.9, 0.4], [-0.2, 0.5, 1.1]])
P = np.array([[0.8, 0.1, 0.2], [0.1, 1.0, 0.1], [0.4, 0.2, 0.9]])
N = np.array([[0.9, 0.4, -0.3], [-0.7, 0.6, 0.2], [0.3, -0.8, 0.5]])


def cos(x, y):
    return float(np.dot(x, y) / (np.linalg.norm(x) * np.linalg.norm(y)))


def ranking(sim, gold):
    """log(1 + sum over pairs (i, j) with gold_i > gold_j of exp(sim_j - sim_i))"""
    total = 0.0
    for i in range(len(gold)):
        for j in range(len(gold)):
            if gold[i] > gold[j]:
                total += math.exp(sim[j] - sim[i])
    return math.log1p(total)


def cosent(u, v, gold):
    return ranking([TAU * cos(u[i], v[i]) for i in range(len(gold))], gold)


def angle_similarity(x, y):
    """AnglE: x = z (complex, real half then imaginary half), y = w; per coordinate z_k / w_k = z_k conj(w_k) / |w_k|^2.
    AnglE's code divides by the whole vector's |w|^2 and then by |z|/|w|, which leaves sum_k z_k conj(w_k) / (|z||w|);
    the real and imaginary parts are summed (pooling 'sum') and the absolute value taken."""
    h = len(x) // 2
    z = [complex(x[k], x[h + k]) for k in range(h)]
    w = [complex(y[k], y[h + k]) for k in range(h)]
    norm_z = math.sqrt(sum(abs(c) ** 2 for c in z))
    norm_w = math.sqrt(sum(abs(c) ** 2 for c in w))
    q = sum(zk * wk.conjugate() for zk, wk in zip(z, w)) / (norm_z * norm_w)
    return abs(q.real + q.imag)


def angle(u, v, gold):
    return ranking([TAU * angle_similarity(u[i], v[i]) for i in range(len(gold))], gold)


def info_nce(anchors, candidates, anchor_rows):
    """mean over the given anchors of -log softmax_j(TAU cos(a_i, c_j)) at j = i"""
    losses = []
    for i in anchor_rows:
        logits = [TAU * cos(anchors[i], c) for c in candidates]
        top = max(logits)
        log_z = top + math.log(sum(math.exp(l - top) for l in logits))
        losses.append(log_z - logits[i])
    return sum(losses) / len(losses) if losses else 0.0


positives = [i for i, y in enumerate(Y) if (y - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) >= THRESHOLD]
values = {
    "cosent": cosent(U, V, Y),
    "angle": angle(U, V, Y),
    "infonce_scored": info_nce(U, V, positives),
    "infonce_pairs": info_nce(A, P, range(3)),
    "infonce_triplets": info_nce(A, np.concatenate([P, N]), range(3)),
}
values["total_scored_default"] = values["cosent"] + values["infonce_scored"] + 0.02 * values["angle"]
print("scored anchors:", positives)
for name, value in values.items():
    print(f"{name} = {value!r}")
