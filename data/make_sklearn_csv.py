#!/usr/bin/env python3
"""Writes data/iris.csv and data/breast_cancer.csv from the copies that scikit-learn ships
(Debian: apt-get install python3-sklearn), with a header line and the label column 'y'.

usage: /usr/bin/python3 data/make_sklearn_csv.py data/
"""
import os, sys
from sklearn.datasets import load_breast_cancer, load_iris


def write(path, names, X, y):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(",".join(names) + ",y\n")
        for row, label in zip(X, y):
            f.write(",".join(repr(float(v)) for v in row) + f",{int(label)}\n")
    os.replace(tmp, path)
    print(f"wrote {path}: {len(y)} rows, {len(names)} features")


def main(out):
    iris = load_iris()
    write(os.path.join(out, "iris.csv"),
          ["sepal_length", "sepal_width", "petal_length", "petal_width"], iris.data, iris.target)
    bc = load_breast_cancer()
    names = [n.replace(" ", "_") for n in bc.feature_names]
    write(os.path.join(out, "breast_cancer.csv"), names, bc.data, bc.target)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
