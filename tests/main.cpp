// The Catch2 main, in its own translation unit so that editing a test file rebuilds in a second.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
