#!/bin/sh
# Training speed of the assignment's network (400-25-10, 300 iterations, lr 1), ours against
# the numpy reference in ../shared/reference, in the same run, with 1 and then 2 threads.
# numpy gets the same thread count through OPENBLAS_NUM_THREADS, and OPENBLAS_CORETYPE /
# OPENBLAS_L2_SIZE are unset for its command alone (the benchmark protocol). On CPUs with
# AVX-512 it is timed a second time with OPENBLAS_CORETYPE=SkylakeX, because some OpenBLAS
# builds do not recognise newer (or virtual) CPUs and otherwise fall back to a generic core.
# Prints ms per iteration (the median of RUNS=5 alternating runs each) and the ratios.
# Ours runs as `nn train` does by default (the digits are 72.8% zeros, so the first layer's
# products skip them) and with --dense (every product dense, as numpy computes them).
# On a CPU with AVX-512 it then does what a CPU with only AVX2 (most laptops) would: ours with
# its AVX2 kernel and element-wise functions forced (NN_GEMM_KERNEL=avx2 NN_SIMD=avx2), numpy
# with OpenBLAS's Haswell (AVX2) kernels.
set -e
NN=${1:-build/nn}
REF=${REF:-../shared/reference/assignment3_numpy.py}
PY=/usr/bin/python3
TRAIN=data/digits20_train.csv; TEST=data/digits20_test.csv
if [ ! -f "$REF" ] || ! $PY -c "import numpy" 2>/dev/null; then
    echo "train_vs_numpy: skipped (needs $REF and numpy: apt-get install python3-numpy)"; exit 0
fi
SKX=0
grep -q avx512f /proc/cpuinfo 2>/dev/null && SKX=1
RUNS=${RUNS:-5}
median() { sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }
ours_once() { env $2 $NN train --train $TRAIN --test $TEST --layers 400,25,10 --hidden-activation sigmoid \
    --output softmax --init small --seed 1 --lr 1 --iterations 300 --threads $1 --quiet $3 | awk '$1=="1"{print $5}'; }
numpy_once() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$1 OMP_NUM_THREADS=$1 $2 \
    $PY $REF $TRAIN $TEST --lr 1 --iterations 300 | awk '/ms_per_iteration/{print $2}'; }
ratio() { awk -v a=$1 -v b=$2 'BEGIN{printf "%.2fx", a/b}'; }
# The runs of ours and numpy alternate, so that a slow spell of this shared machine hits both.
measure() {  # threads -> "ours ours_dense numpy_auto numpy_skylakex" (medians of RUNS runs each)
    o=""; d=""; n=""; s=""
    for i in $(seq $RUNS); do
        o="$o $(ours_once $1)"; d="$d $(ours_once $1 '' --dense)"; n="$n $(numpy_once $1)"
        if [ $SKX = 1 ]; then s="$s $(numpy_once $1 OPENBLAS_CORETYPE=SkylakeX)"; fi
    done
    echo "$(printf '%s\n' $o | median) $(printf '%s\n' $d | median) $(printf '%s\n' $n | median) $(printf '%s\n' $s | median)"
}
M=$(($(wc -l < $TRAIN) - 1))
echo "training speed, 400-25-10 on $M examples, 300 iterations (ms per iteration, median of $RUNS alternating runs)"
# The floor: an iteration's matrix products alone (forward W1·X, W2·A1; backward dZ2·A1ᵀ,
# W2ᵀ·dZ2, dZ1·Xᵀ) at this core's measured FMA peak.
BENCH=$(dirname "$NN")/bench_gemm
FLOP=$((2 * M * (2*25*400 + 3*10*25)))
PEAK=0
if [ -x "$BENCH" ]; then
    PEAK=$($BENCH --peak)
    awk -v f=$FLOP -v peak="$PEAK" 'BEGIN{ if (peak > 0)
        printf "one iteration is %.0f MFLOP of matrix products: %.2f ms at the measured FMA peak of one core (%.1f GFLOP/s)\n", f/1e6, f/peak/1e6, peak }'
fi
if [ $SKX = 1 ]; then
    printf "%-8s %8s %13s %13s %11s %17s %11s %19s\n" threads ours "ours --dense" "numpy (auto)" numpy/ours \
        "numpy (SkylakeX)" numpy/ours "numpy/ours --dense"
else
    printf "%-8s %8s %13s %13s %11s %19s\n" threads ours "ours --dense" "numpy (auto)" numpy/ours "numpy/ours --dense"
fi
for t in 1 2; do
    set -- $(measure $t); o=$1; d=$2; n=$3; s=${4:-}
    if [ $SKX = 1 ]; then
        printf "%-8s %8s %13s %13s %11s %17s %11s %19s\n" $t $o $d $n $(ratio $n $o) $s $(ratio $s $o) $(ratio $s $d)
    else
        printf "%-8s %8s %13s %13s %11s %19s\n" $t $o $d $n $(ratio $n $o) $(ratio $n $d)
    fi
    if [ $t = 1 ]; then best1=${s:-$n}; ours1=$d; fi
done
# What half of numpy's time (with its best kernels) asks of one core when every product is
# dense: the share of its FMA peak that the matrix products would need even if everything
# else took no time at all.
awk -v f=$FLOP -v peak="$PEAK" -v o=$ours1 -v nb=$best1 'BEGIN{ if (peak > 0 && o > 0 && nb > 0)
    printf "one thread, all of an iteration'"'"'s time counted as dense matrix products: ours --dense %.0f%% of the peak; half of numpy'"'"'s %s ms would be %.0f%%\n", 100*f/(o*1e-3)/peak/1e9, nb, 100*f/(nb/2*1e-3)/peak/1e9 }'
if [ $SKX = 1 ]; then
    echo "as on a CPU with AVX2 but no AVX-512: ours with NN_GEMM_KERNEL=avx2 NN_SIMD=avx2, numpy with OPENBLAS_CORETYPE=Haswell"
    printf "%-8s %8s %13s %16s %11s %19s\n" threads ours "ours --dense" "numpy (Haswell)" numpy/ours "numpy/ours --dense"
    for t in 1 2; do
        o=""; d=""; h=""
        for i in $(seq $RUNS); do
            o="$o $(ours_once $t 'NN_GEMM_KERNEL=avx2 NN_SIMD=avx2')"
            d="$d $(ours_once $t 'NN_GEMM_KERNEL=avx2 NN_SIMD=avx2' --dense)"; h="$h $(numpy_once $t OPENBLAS_CORETYPE=Haswell)"
        done
        o=$(printf '%s\n' $o | median); d=$(printf '%s\n' $d | median); h=$(printf '%s\n' $h | median)
        printf "%-8s %8s %13s %16s %11s %19s\n" $t $o $d $h $(ratio $h $o) $(ratio $h $d)
    done
fi
