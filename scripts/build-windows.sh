#!/bin/sh
# Build hvprobe.exe for 64-bit Windows with MinGW-w64 and package the
# release artefact: build-windows/dist/hvprobe-VERSION-windows-x86_64.zip
# (hvprobe.exe, README.md, docs/, contrib/). One static executable that
# needs no DLL beyond the system's.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh windows
cmake -S . -B build-windows -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake \
  -DCMAKE_BUILD_TYPE=Release -DHVPROBE_TESTS=OFF -DHVPROBE_WERROR="${HVPROBE_WERROR:-OFF}" >/dev/null
cmake --build build-windows -j "$(nproc)" >/dev/null
version=$(sed -n 's/^project(hvprobe VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
stage=build-windows/dist/hvprobe-$version-windows-x86_64
rm -rf build-windows/dist
cmake --install build-windows --prefix "$stage" >/dev/null
python3 - "$stage" <<'PY'
import os, sys, zipfile
stage = sys.argv[1]
with zipfile.ZipFile(stage + ".zip", "w", zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk(stage):
        for f in sorted(files):
            path = os.path.join(root, f)
            z.write(path, os.path.relpath(path, os.path.dirname(stage)))
PY
echo "build-windows/hvprobe.exe"
echo "$stage.zip"
