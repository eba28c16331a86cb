// nn/cli.hpp — the command line: build/nn COMMAND [flags]. Every command has --help.
//   train   train a network on CSV or IDX data, one run per learning rate; ends with a table
//   demo    re-run a lecture's experiment (prints its table, writes its SVG pictures)
// Errors print one line on stderr and return exit status 2; nothing is half-written.
#pragma once

namespace nn {

int cli_main(int argc, char** argv);

}  // namespace nn
