#!/bin/sh
# SPDX-License-Identifier: MIT
# The tests read nothing outside the repository and the build tree: run the
# unit and end-to-end suites in a mount namespace whose view of the
# repository's parent directory holds the repository alone, so that a test
# reaching for a sibling directory beside a developer's clone fails
# here as it would on a fresh machine.
# usage: sh tests/standalone.sh SOURCE_DIR BUILD_DIR
# Exit 77 (ctest: skipped) without root or unshare.
set -eu
src=$(cd "$1" && pwd -P)
build=$(cd "$2" && pwd -P)
parent=$(dirname "$src")
# A chroot whose / is no mount point cannot make a private namespace.
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null || [ "$parent" = / ] ||
   ! unshare -m --propagation private true 2>/dev/null; then
  echo "standalone: skipped (needs root, mount namespaces and a repository below /)"
  exit 77
fi
# Somewhere to keep the repository (and an outside build tree) while the
# parent is emptied: a directory that is not below the parent.
for base in /run /var/tmp /tmp /dev/shm; do
  case "$base/" in "$parent"/*) continue ;; esac
  [ -d "$base" ] && [ -w "$base" ] && break
done

exec unshare -m --propagation private sh -eu -c '
  src=$1 build=$2 parent=$3 base=$4
  keep=$(mktemp -d "$base/hvprobe-standalone.XXXXXX")
  mkdir "$keep/src" "$keep/build"
  mount --bind "$src" "$keep/src"
  outside_build=no
  case "$build/" in
    "$src"/*) ;;
    "$parent"/*) outside_build=yes; mount --bind "$build" "$keep/build" ;;
  esac
  mount -t tmpfs -o mode=755 hvprobe-standalone "$parent"
  mkdir -p "$src"
  mount --bind "$keep/src" "$src"
  if [ $outside_build = yes ]; then
    mkdir -p "$build"
    mount --bind "$keep/build" "$build"
  fi
  echo "standalone: $parent now holds $(ls "$parent" | tr "\n" " ")"
  ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -L "unit|e2e" -LE "windows|standalone"
' sh "$src" "$build" "$parent" "$base"
