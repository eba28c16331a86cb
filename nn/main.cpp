// build/nn — the command-line program. All the work is in nn/cli.cpp.
#include "nn/cli.hpp"

int main(int argc, char** argv) { return nn::cli_main(argc, argv); }
