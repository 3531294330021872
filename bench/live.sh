#!/bin/sh
# The live run side by side: hvprobe -q (this build, and an older binary
# given as OLD=path) beside virt-host-validate, on the same machine in the
# same minute. Median and spread of RUNS runs (hyperfine, 3 warm-ups) and
# the peak resident set size (GNU time, the largest of 5 runs).
# virt-host-validate comes from Debian's libvirt-clients, installed here
# for the bench only. Writes a Markdown table to stdout.
# Usage: sh bench/live.sh [HVPROBE]   (default: ./build-bench/hvprobe, built here)
set -eu
cd "$(dirname "$0")/.."
for p in hyperfine time libvirt-clients; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 || true; }
done
hv=${1:-}
if [ -z "$hv" ]; then
  cmake -S . -B build-bench -DHVPROBE_TESTS=OFF >/dev/null
  cmake --build build-bench -j "$(nproc)" >/dev/null
  hv=./build-bench/hvprobe
fi
runs=${RUNS:-50}

echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before; $runs runs each"
echo
echo "| run | median | min .. max | stddev | max RSS |"
echo "| --- | --- | --- | --- | --- |"
measure() { # label, command...
  label=$1
  shift
  json=$(mktemp)
  hyperfine -N -w 3 -r "$runs" -i --style none --export-json "$json" "$*" >/dev/null 2>&1
  row=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
ms = lambda s: "%.1f ms" % (s * 1000)
print("%s | %s .. %s | %s" % (ms(r["median"]), ms(r["min"]), ms(r["max"]), ms(r["stddev"])))' "$json")
  rm -f "$json"
  rss=0
  for _ in 1 2 3 4 5; do
    r=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
    [ "$r" -gt "$rss" ] && rss=$r
  done
  echo "| $label | $row | $rss KiB |"
}
measure "hvprobe -q, live" "$hv" -q
[ -n "${OLD:-}" ] && measure "hvprobe -q, live, before (OLD)" "$OLD" -q
if command -v virt-host-validate >/dev/null; then
  measure "virt-host-validate" virt-host-validate
else
  echo "| virt-host-validate | not installed | | | |"
fi

# The offline path as CPUs grow: this host's bundle, its cpuid.txt replaced
# by CPU 0's leaves repeated for N CPUs (docs/bundle.md: "CPU N:" blocks).
bundle=$(mktemp -d)
"$hv" collect -o "$bundle/real" >/dev/null 2>&1 || true
if [ -s "$bundle/real/cpuid.txt" ]; then
  measure "hvprobe --from, this host's bundle ($(grep -c '^CPU' "$bundle/real/cpuid.txt") CPUs)" \
    "$hv" --from "$bundle/real" -q
  for n in 16 256 1024; do
    cp -r "$bundle/real" "$bundle/n$n"
    awk -v n="$n" '/^CPU /{cpu++; next} cpu == 1 {leaf[++k] = $0}
      END {for (c = 0; c < n; c++) {print "CPU " c ":"; for (i = 1; i <= k; i++) print leaf[i]}}' \
      "$bundle/real/cpuid.txt" >"$bundle/n$n/cpuid.txt"
    measure "hvprobe --from, the same bundle with $n CPUs" "$hv" --from "$bundle/n$n" -q
  done
fi
rm -rf "$bundle"
echo
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after"
