#!/usr/bin/python3
"""Independent references for eval-transfer's feature analyses (issue #20).

Run with Debian's Python (apt-get install -y python3-sklearn python3-scipy):
    /usr/bin/python3 packages/eval-transfer/scripts/make-analysis-fixtures.py
It writes test/fixtures/analysis-reference.json, which src/*.test.ts compare against.
Everything here is NumPy / scikit-learn written from the papers' definitions, not from
our TypeScript: ECE after Guo et al. (2017), ridge + R^2 by scikit-learn, colour error
and top-k saliency IoU as plain NumPy.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import r2_score

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "analysis-reference.json")


def ece_reference(probs, labels, n_bins):
    """Guo et al. 2017: equal-width bins (lo, hi] over the max probability."""
    conf = probs.max(axis=1)
    pred = probs.argmax(axis=1)
    correct = (pred == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ece = 0.0
    bins = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (conf > lo) & (conf <= hi)
        count = int(inside.sum())
        acc = float(correct[inside].mean()) if count else 0.0
        avg = float(conf[inside].mean()) if count else 0.0
        ece += count / len(conf) * abs(acc - avg)
        bins.append({"lo": float(lo), "hi": float(hi), "count": count, "accuracy": acc, "confidence": avg})
    return {"ece": float(ece), "bins": bins}


def ece_case(name, probs, labels, n_bins):
    return {
        "name": name,
        "bins": n_bins,
        "probs": probs.tolist(),
        "labels": labels.tolist(),
        "expected": ece_reference(probs, labels, n_bins),
    }


rng = np.random.default_rng(20)
calibration = []

# Random Dirichlet probabilities, labels drawn from them (well calibrated in expectation).
p = rng.dirichlet(np.ones(5) * 0.7, size=300)
y = np.array([rng.choice(5, p=row) for row in p])
calibration.append(ece_case("dirichlet-300x5-15bins", p, y, 15))
calibration.append(ece_case("dirichlet-300x5-10bins", p, y, 10))

# Confidences exactly on bin edges (0.2, 0.4, 0.6, 1.0 with 5 and 15 bins) and argmax ties.
edge = np.array(
    [
        [0.2, 0.2, 0.2, 0.2, 0.2],
        [0.4, 0.3, 0.3, 0.0, 0.0],
        [0.6, 0.4, 0.0, 0.0, 0.0],
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0, 0.0],
        [0.5, 0.5, 0.0, 0.0, 0.0],
        [1 / 3, 1 / 3, 1 / 3, 0.0, 0.0],
        [0.8, 0.1, 0.1, 0.0, 0.0],
        [2 / 15, 2 / 15, 2 / 15, 2 / 15, 7 / 15],
        [0.0, 0.0, 0.6, 0.2, 0.2],
    ]
)
edge_labels = np.array([0, 1, 0, 0, 2, 1, 0, 0, 4, 2])
calibration.append(ece_case("bin-edges-and-ties-5bins", edge, edge_labels, 5))
calibration.append(ece_case("bin-edges-and-ties-15bins", edge, edge_labels, 15))

# A real classifier: scikit-learn's logistic regression on its bundled 8x8 digits (real scans).
digits = load_digits()
X = digits.data.astype(np.float64)
order = rng.permutation(len(X))
train, test = order[:600], order[600:800]
clf = LogisticRegression(C=0.01, max_iter=2000).fit(X[train], digits.target[train])
calibration.append(ece_case("sklearn-logreg-digits-15bins", clf.predict_proba(X[test]), digits.target[test], 15))

# Ridge regression with intercept (scikit-learn Ridge) and R^2 (r2_score, uniform average).
# Features: digit pixels; targets (not linear in them): sqrt of the top half's mean ink, the squared
# bottom half's, and the image's ink spread.
img = X.reshape(-1, 8, 8) / 16.0
targets = np.stack([np.sqrt(img[:, :4].mean((1, 2))), img[:, 4:].mean((1, 2)) ** 2, img.std((1, 2))], axis=1)
ridge = []
for name, n_train, alpha in [("primal-150x64", 150, 3.0), ("dual-30x64", 30, 0.5), ("primal-200x64-tiny", 200, 1e-3)]:
    tr, te = order[:n_train], order[800:860]
    model = Ridge(alpha=alpha).fit(X[tr], targets[tr])
    pred = model.predict(X[te])
    ridge.append(
        {
            "name": name,
            "alpha": alpha,
            "trainX": X[tr].tolist(),
            "trainY": targets[tr].tolist(),
            "testX": X[te].tolist(),
            "testY": targets[te].tolist(),
            "coef": model.coef_.tolist(),  # [outputs, dim]
            "intercept": model.intercept_.tolist(),
            "predictions": pred.tolist(),
            "r2": float(r2_score(targets[te], pred)),
            "r2PerOutput": r2_score(targets[te], pred, multioutput="raw_values").tolist(),
        }
    )

# Colour error: mean over images and channels of (mean colour(a) - mean colour(b))^2, NHWC in [0, 1].
a = rng.random((4, 6, 5, 3))
b = np.clip(a + rng.normal(0, 0.2, a.shape) + np.array([0.1, -0.05, 0.0]), 0, 1)
colour = {
    "shape": list(a.shape),
    "a": a.ravel().tolist(),
    "b": b.ravel().tolist(),
    "meanColourA": a.mean(axis=(1, 2)).ravel().tolist(),
    "colourError": float(((a.mean(axis=(1, 2)) - b.mean(axis=(1, 2))) ** 2).mean()),
}

# Saliency overlap: IoU of the top-k pixels (k = round(fraction * H * W)) per image, then the mean.
s1 = rng.random((3, 8, 8))
s2 = 0.6 * s1 + 0.4 * rng.random((3, 8, 8))
saliency = []
for fraction in [0.1, 0.25, 0.5]:
    k = int(round(fraction * 64))
    ious = []
    for i in range(3):
        t1 = set(np.argsort(-s1[i].ravel())[:k].tolist())
        t2 = set(np.argsort(-s2[i].ravel())[:k].tolist())
        ious.append(len(t1 & t2) / len(t1 | t2))
    saliency.append({"fraction": fraction, "perImage": ious, "iou": float(np.mean(ious))})

json.dump(
    {
        "generator": "packages/eval-transfer/scripts/make-analysis-fixtures.py",
        "versions": {"numpy": np.__version__, "scikit-learn": sklearn.__version__, "scipy": scipy.__version__},
        "calibration": calibration,
        "ridge": ridge,
        "colour": colour,
        "saliency": {"shape": [3, 8, 8], "a": s1.ravel().tolist(), "b": s2.ravel().tolist(), "cases": saliency},
    },
    open(OUT + ".tmp", "w"),
)
os.replace(OUT + ".tmp", OUT)
print("wrote", OUT)
