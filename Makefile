# Neural networks from scratch in C++ — build, run, test, benchmark.
# `make help` lists the targets. Everything is built out of tree under $(BUILD)/.
#
#   make                 build/libnn.a (matrix/ + nn/) and build/nn (the command line)
#   make run             the one-hidden-layer assignment on the 20x20 digits, end to end
#   make test            build and run the Catch2 test suite
#   make bench           GEMM and training benchmarks (ours vs naive, OpenBLAS, numpy)
#
# Options: CXX=clang++   OPENMP=0 (build without OpenMP)   DEBUG=1 (bounds checks, -O1 -g)
#          SANITIZE=1 (AddressSanitizer + UBSan; implies DEBUG)   BUILD=dir (output folder)

CXX      ?= g++
OPENMP   ?= 1
DEBUG    ?= 0
SANITIZE ?= 0
BUILD    ?= build

# -ffp-contract=off: never fuse a*b + c into one FMA behind our back. Fusing changes the
# rounding, and on CPUs with FMA (ARM, or x86 with -march) it would break the bit-exact numpy
# parity of the random generator. The GEMM and the vectorized exp/log (vecmath), which only
# promise rounding-level agreement (within 2 ulp of std::exp / std::log, tested), are allowed
# to fuse (see below): the 13 multiply-adds of the exp polynomial become 13 FMAs, and
# exp_array gets 1.7x faster on CPUs with FMA.
CXXFLAGS_BASE := -std=c++17 -Wall -Wextra -Wpedantic -I. -MMD -MP -ffp-contract=off
ifeq ($(SANITIZE),1)
  DEBUG := 1
  # (-Wno-maybe-uninitialized: GCC 12 reports false positives inside libstdc++ <regex> under ASan)
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Wno-maybe-uninitialized
endif
ifeq ($(DEBUG),1)
  OPTFLAGS := -O1 -g -DNN_CHECK_BOUNDS
else
  OPTFLAGS := -O3
endif
# OpenMP when the compiler has it (clang needs Debian's libomp-dev); otherwise a serial build.
ifeq ($(OPENMP),1)
  HAVE_OPENMP := $(shell echo 'int main(){return 0;}' | $(CXX) -fopenmp -x c++ - -o /dev/null 2>/dev/null && echo 1)
  ifeq ($(HAVE_OPENMP),1)
    OMPFLAGS := -fopenmp
  endif
endif
CXXFLAGS := $(CXXFLAGS_BASE) $(OPTFLAGS) $(OMPFLAGS) $(SANFLAGS) $(EXTRA_CXXFLAGS)
LDFLAGS  := $(OMPFLAGS) $(SANFLAGS)
LDLIBS   := -lm -ldl

LIB_SRC   := $(wildcard matrix/*.cpp) $(filter-out nn/main.cpp,$(wildcard nn/*.cpp))
LIB_OBJ   := $(LIB_SRC:%.cpp=$(BUILD)/obj/%.o)
CLI_OBJ   := $(BUILD)/obj/nn/main.o
TEST_SRC  := $(wildcard tests/*.cpp)
TEST_OBJ  := $(TEST_SRC:%.cpp=$(BUILD)/obj/%.o)

LIB   := $(BUILD)/libnn.a
CLI   := $(BUILD)/nn
TESTS := $(BUILD)/run_tests

.PHONY: all run test bench grade help clean check-catch2 build-tests build-bench examples
all: $(LIB) $(CLI)
build-tests: $(TESTS)
build-bench: $(BUILD)/bench_gemm $(BUILD)/bench_vecmath $(BUILD)/bench_steps

# Objects depend on the compiler and flags too: changing CXX, OPENMP or DEBUG rebuilds.
FLAGS_STAMP := $(BUILD)/flags.stamp
$(shell mkdir -p $(BUILD) && echo '$(CXX) $(CXXFLAGS) $(LDFLAGS)' | cmp -s - $(FLAGS_STAMP) || \
        echo '$(CXX) $(CXXFLAGS) $(LDFLAGS)' > $(FLAGS_STAMP))

$(BUILD)/obj/%.o: %.cpp $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(BUILD)/obj/matrix/gemm.o $(BUILD)/obj/matrix/sparse.o: CXXFLAGS += -ffp-contract=fast
$(BUILD)/obj/matrix/vecmath.o: CXXFLAGS += -ffp-contract=fast -fno-trapping-math

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(CLI): $(CLI_OBJ) $(LIB)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS)

## run: train the assignment's 400-25-10 network on the 20x20 digits, print the table, draw the plots
run: $(CLI)
	./$(CLI) demo assignment --out $(BUILD)/run

## test: build and run the Catch2 suite
check-catch2:
	@tools/ensure_catch2.sh

$(TEST_OBJ): | check-catch2
$(TEST_OBJ): CXXFLAGS += -DNN_SOURCE_DIR='"$(CURDIR)"'
$(TESTS): $(TEST_OBJ) $(LIB)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS)

test: $(TESTS) $(CLI)
	./$(TESTS) $(TEST_ARGS)

## bench: GEMM GFLOP/s (ours, naive, OpenBLAS if installed; also as bar charts,
## build/bench/gemm.svg and, on AVX-512 CPUs, gemm_skylakex.svg), the element-wise functions per
## SIMD version, the steps of a training iteration, and training speed vs numpy
$(BUILD)/bench_gemm: $(BUILD)/obj/bench/bench_gemm.o $(LIB)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/bench_vecmath: $(BUILD)/obj/bench/bench_vecmath.o $(LIB)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/bench_steps: $(BUILD)/obj/bench/bench_steps.o $(LIB)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# OpenBLAS is timed with the core it picks itself (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset
# for that command alone, whatever the environment pins) and, on a CPU with AVX-512, once more
# with its AVX-512 kernels forced: some OpenBLAS builds do not recognise newer or virtual CPUs
# and fall back to a generic core, which would flatter the ratios.
bench: $(BUILD)/bench_gemm $(BUILD)/bench_vecmath $(BUILD)/bench_steps $(CLI)
	@mkdir -p $(BUILD)/bench
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ./$(BUILD)/bench_gemm --svg $(BUILD)/bench/gemm.svg --kernels
	@if grep -q avx512f /proc/cpuinfo 2>/dev/null; then \
	    echo "the same against OpenBLAS with its AVX-512 kernels forced:"; \
	    echo "env -u OPENBLAS_L2_SIZE ./$(BUILD)/bench_gemm --openblas-core SkylakeX --svg $(BUILD)/bench/gemm_skylakex.svg"; \
	    env -u OPENBLAS_L2_SIZE ./$(BUILD)/bench_gemm --openblas-core SkylakeX --svg $(BUILD)/bench/gemm_skylakex.svg; fi
	./$(BUILD)/bench_vecmath
	./$(BUILD)/bench_steps
	bench/train_vs_numpy.sh $(CLI)

## examples: build and run examples/*.cpp the way an outside program would (headers + libnn.a)
examples: $(LIB)
	@mkdir -p $(BUILD)/examples
	@for f in examples/*.cpp; do \
	    exe=$(BUILD)/examples/$$(basename $$f .cpp); \
	    echo "$(CXX) -std=c++17 -O2 -I. $$f $(LIB) $(OMPFLAGS) -o $$exe"; \
	    $(CXX) -std=c++17 -O2 -Wall -Wextra -I. $$f $(LIB) $(OMPFLAGS) $(SANFLAGS) -o $$exe -lm || exit 1; \
	    ./$$exe || exit 1; \
	done

## grade A=NN: grade assignments/NN_*/student.cpp
grade:
	@echo "No assignments are published yet (assignments/ is being written)."; exit 2

help:
	@echo "make            build build/libnn.a and build/nn"
	@echo "make run        the one-hidden-layer assignment on the 20x20 digits (table + SVG plots)"
	@echo "make test       build and run the Catch2 tests (installs catch2 with apt-get if root)"
	@echo "make bench      GEMM, element-wise and training benchmarks (vs naive, OpenBLAS, std::, numpy; charts: build/bench/gemm*.svg)"
	@echo "make examples   build and run examples/ as outside programs (include + link build/libnn.a)"
	@echo "make clean      remove $(BUILD)/"
	@echo "options: CXX=clang++  OPENMP=0  DEBUG=1  SANITIZE=1  BUILD=dir"
	@echo "command line: $(CLI) --help"

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/obj/bench/bench_gemm.d $(BUILD)/obj/bench/bench_vecmath.d $(BUILD)/obj/bench/bench_steps.d
