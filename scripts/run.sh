#!/bin/sh
# Set up, build and run hvprobe on this host. Arguments go to hvprobe,
# for example: scripts/run.sh --target hyperv --format json
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DHVPROBE_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
exec ./build/hvprobe "$@"
