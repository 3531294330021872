#!/bin/sh
# Set up, build and run every test of hvprobe on Debian 12:
#   1. the whole suite under AddressSanitizer and UndefinedBehaviorSanitizer,
#   2. every parser under libFuzzer for a bounded time (dumps, bundle pieces,
#      registry hives, snapshots, event logs),
#   3. the Windows build (scripts/build-windows.sh),
#   4. the whole suite on the release build (-Werror), valgrind, the
#      emulated machines and hvprobe.exe under wine included.
# FUZZ_SECONDS (default 30) bounds each fuzzer.
# sh scripts/test.sh quick: the everyday loop (one build, unit and e2e).
# The BCD tests change copies of the fixture stores with hivexregedit.
set -eu
cd "$(dirname "$0")/.."

# The quick loop for everyday work: one build, the unit and end-to-end tests,
# in parallel (no sanitizers, fuzzing, valgrind, guests or wine).
if [ "${1:-}" = quick ]; then
  sh scripts/install-deps.sh test
  cmake -S . -B build -DHVPROBE_WERROR=ON -DHVPROBE_TESTS=ON >/dev/null
  cmake --build build -j "$(nproc)" >/dev/null
  exec ctest --test-dir build --output-on-failure -j "$(nproc)" -L 'unit|e2e' -LE windows
fi

sh scripts/install-deps.sh test

jobs=$(nproc)
# Each stage says how long it took (docs/benchmark.md, "The test stages").
stage_started=$(date +%s)
stage() {
  now=$(date +%s)
  [ -n "${stage_name:-}" ] && echo "== $stage_name: $((now - stage_started)) s"
  stage_name=$1
  stage_started=$now
  [ -n "$1" ] && echo "== $1"
  return 0
}
fuzz_seconds=${FUZZ_SECONDS:-30}
# Warnings are errors here and in CI (never in a user's or packager's build).
export HVPROBE_WERROR=ON

stage "sanitizers (ASan + UBSan)"
cmake -S . -B build-san -DHVPROBE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DHVPROBE_WERROR=ON >/dev/null
cmake --build build-san -j "$jobs" >/dev/null
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san --output-on-failure -j "$jobs" -LE "valgrind|standalone|package"

stage "fuzzing (${fuzz_seconds}s per parser)"
CC=clang cmake -S . -B build-fuzz -DHVPROBE_FUZZ=ON -DHVPROBE_TESTS=OFF -DHVPROBE_STATIC=OFF \
  -DHVPROBE_WERROR=ON >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzz_dump fuzz_bundle fuzz_bcd fuzz_snapshot fuzz_evtx fuzz_history >/dev/null
corpus=$(mktemp -d)
# The stage that ends the script, passed or failed, still says its time.
trap 'rm -rf "$corpus"; stage ""' EXIT
# Seeds are copies of the real dumps and stores, made here and thrown away.
# The snapshot seeds are reports of the fixtures, written by the release
# build of step 4's source tree (built here first for that).
mkdir "$corpus/dump" "$corpus/bcd" "$corpus/snapshot" "$corpus/evtx" "$corpus/history"
cp tests/fixtures/linux/* "$corpus/history"/
cp tests/fixtures/cpuid/*.txt tests/fixtures/cpuid/*.dump tests/fixtures/cpuid/*.test "$corpus/dump"/
cp tests/fixtures/bcd/* "$corpus/bcd"/
chmod u+w "$corpus/bcd"/*
# The small real logs (the fuzzer keeps inputs short; the 16 MB one adds nothing).
for f in tests/fixtures/evtx/*.evtx; do
  if [ "$(wc -c <"$f")" -le 2000000 ]; then cp "$f" "$corpus/evtx"/; fi
done
cmake -S . -B build -DHVPROBE_WERROR=ON -DHVPROBE_TESTS=ON >/dev/null
cmake --build build -j "$jobs" --target hvprobe >/dev/null
for f in tests/fixtures/cpuid/*.txt; do
  ./build/hvprobe snapshot --cpuid-dump "$f" --bcd tests/fixtures/bcd/BAndysc_ASUS-TP300LD-ESP__EFI_Microsoft_Boot_BCD \
    -o "$corpus/snapshot/$(basename "$f" .txt).json" 2>/dev/null || true
done
for target in fuzz_dump fuzz_bundle fuzz_bcd fuzz_snapshot fuzz_evtx fuzz_history; do
  seeds=""
  [ "$target" = fuzz_dump ] && seeds="$corpus/dump"
  [ "$target" = fuzz_bcd ] && seeds="$corpus/bcd"
  [ "$target" = fuzz_snapshot ] && seeds="$corpus/snapshot"
  [ "$target" = fuzz_evtx ] && seeds="$corpus/evtx"
  [ "$target" = fuzz_history ] && seeds="$corpus/history"
  # shellcheck disable=SC2086
  ./build-fuzz/$target -max_total_time="$fuzz_seconds" -artifact_prefix=build-fuzz/ $seeds \
    >build-fuzz/$target.log 2>&1 || { tail -40 build-fuzz/$target.log; exit 1; }
  tail -1 build-fuzz/$target.log
done

stage "the Windows build (MinGW-w64), tested below under wine"
sh scripts/build-windows.sh

stage "release build and the full suite"
cmake -S . -B build -DHVPROBE_WERROR=ON -DHVPROBE_TESTS=ON \
  -DHVPROBE_WINDOWS_EXE="$(pwd)/build-windows/hvprobe.exe" >/dev/null
cmake --build build -j "$jobs" >/dev/null
ctest --test-dir build --output-on-failure -j "$jobs"
