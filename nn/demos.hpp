// nn/demos.hpp — `nn demo NAME`: each lecture experiment, re-run with one command.
//   assignment   CMPE 258 Assignment 3: the 400-25-10 network on the 20x20 digits
//   perceptron, adaline, adaline-sgd, logistic   the first lecture's experiments
// Each demo prints its numbers as a table and writes its SVG pictures into --out DIR.
#pragma once

namespace nn {

int demo_main(int argc, char** argv);

}  // namespace nn
