#!/usr/bin/env python3
"""The naive classifier the JapaneseVowels result in README.md is compared with: each test case gets the class
of its nearest training case under dynamic time warping (squared Euclidean distance per step, no warping
window), on the archive's own train and test files. Run from the repository root: python3 tests/tools/nn_dtw.py
(numpy; a few minutes)."""
import numpy as np
def read(p):
    xs, ys = [], []
    data = False
    for line in open(p):
        line = line.strip()
        if not line or line.startswith('#'): continue
        if line.lower().startswith('@data'): data = True; continue
        if not data or line.startswith('@'): continue
        parts = line.split(':')
        ys.append(parts[-1])
        xs.append(np.array([[float(v) for v in ch.split(',')] for ch in parts[:-1]]).T)  # steps x channels
    return xs, ys
tr, ytr = read('tests/data/uea/JapaneseVowels_TRAIN.ts')
te, yte = read('tests/data/uea/JapaneseVowels_TEST.ts')
def dtw(a, b):
    d = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    n, m = d.shape
    D = np.full((n + 1, m + 1), np.inf); D[0, 0] = 0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            D[i, j] = d[i-1, j-1] + min(D[i-1, j], D[i, j-1], D[i-1, j-1])
    return D[n, m]
ok = 0
for x, y in zip(te, yte):
    nearest = min(range(len(tr)), key=lambda k: dtw(x, tr[k]))
    ok += ytr[nearest] == y
print('dtw', 'train', len(tr), 'test', len(te), 'accuracy %.4f' % (ok / len(te)))
