#!/bin/sh
# Makes sure Catch2 v2 (header catch2/catch.hpp, Debian package `catch2`) is installed.
# As root it installs the package with apt-get; otherwise it says exactly what to run.
if echo '#include <catch2/catch.hpp>' | ${CXX:-g++} -x c++ -fsyntax-only - 2>/dev/null; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Catch2 is missing: installing the Debian package 'catch2'..."
    (apt-get install -y catch2 || (apt-get update && apt-get install -y catch2)) >/dev/null && exit 0
fi
echo "error: the tests need Catch2 v2 (header <catch2/catch.hpp>)." >&2
echo "       install it with:  sudo apt-get install catch2" >&2
exit 1
