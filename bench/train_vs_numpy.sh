#!/bin/sh
# Training speed of the assignment's network (400-25-10, 300 iterations, lr 1), ours against
# the numpy reference in ../shared/reference, in the same run, with 1 and then 2 threads.
# numpy gets the same thread count through OPENBLAS_NUM_THREADS, and OPENBLAS_CORETYPE /
# OPENBLAS_L2_SIZE are unset for its command alone so that OpenBLAS uses its best kernels.
# Prints ms per iteration (the median of 3 runs each) and the ratio.
set -e
NN=${1:-build/nn}
REF=${REF:-../shared/reference/assignment3_numpy.py}
PY=/usr/bin/python3
TRAIN=data/digits20_train.csv; TEST=data/digits20_test.csv
if [ ! -f "$REF" ] || ! $PY -c "import numpy" 2>/dev/null; then
    echo "train_vs_numpy: skipped (needs $REF and numpy: apt-get install python3-numpy)"; exit 0
fi
median() { sort -n | sed -n 2p; }
echo "training speed, 400-25-10 on $(($(wc -l < $TRAIN) - 1)) examples, 300 iterations (ms per iteration, median of 3)"
printf "%-8s %10s %10s %10s\n" threads ours numpy "numpy/ours"
for t in 1 2; do
    ours=$(for i in 1 2 3; do $NN train --train $TRAIN --test $TEST --layers 400,25,10 --hidden-activation sigmoid \
        --output softmax --init small --seed 1 --lr 1 --iterations 300 --threads $t --quiet | awk '$1=="1"{print $5}'; done | median)
    np=$(for i in 1 2 3; do env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t \
        $PY $REF $TRAIN $TEST --lr 1 --iterations 300 | awk '/ms_per_iteration/{print $2}'; done | median)
    printf "%-8s %10s %10s %10s\n" $t $ours $np $(awk -v a=$np -v b=$ours 'BEGIN{printf "%.2fx", a/b}')
done
