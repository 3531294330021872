#!/bin/sh
# Time and size hvprobe: a live run, a run over every fixture dump, a BCD
# store, event logs (beside evtxexport), and the
# tools users compare it with (virt-host-validate, kvm-ok) where installed.
# Writes a Markdown table to stdout; docs/benchmark.md holds a copy.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
for p in hyperfine time libvirt-clients cpu-checker libevtx-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 || true; }
done
cmake -S . -B build-bench -DHVPROBE_TESTS=OFF >/dev/null
cmake --build build-bench -j "$(nproc)" >/dev/null
hv=./build-bench/hvprobe
fixtures=tests/fixtures/cpuid
stores=tests/fixtures/bcd

echo "| run | mean time | max RSS |"
echo "| --- | --- | --- |"
measure() { # label, command...
  label=$1
  shift
  json=$(mktemp)
  hyperfine -N -w 3 -r "${RUNS:-20}" -i --style none --export-json "$json" "$*" >/dev/null 2>&1
  mean=$(python3 -c 'import json,sys; print("%.1f ms" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$json")
  rm -f "$json"
  rss=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
  echo "| $label | $mean | $rss KiB |"
}
measure "hvprobe, live" $hv -q
measure "hvprobe, live, JSON" $hv -f json
measure "hvprobe, largest dump (Core Ultra 7, 22 CPUs)" \
  $hv --cpuid-dump $fixtures/intel_x86-64_redwood-cove_intel-core-ultra-7-155h.txt -q
measure "hvprobe, largest BCD store (60 KiB), every entry" \
  $hv --cpuid-dump $fixtures/intel_x86-64_redwood-cove_intel-core-ultra-7-155h.txt \
  --bcd $stores/BlueDruddigon_EFI_backup__EFI_Microsoft_Boot_BCD --bcd-entry all -q
snap=$(mktemp)
$hv snapshot -o "$snap" 2>/dev/null || true
measure "hvprobe compare, live against a snapshot" $hv compare "$snap" -q
rm -f "$snap"
start=$(date +%s%N)
for f in $fixtures/*.txt; do $hv --cpuid-dump "$f" -q 2>/dev/null || true; done
end=$(date +%s%N)
echo "| hvprobe, all $(ls $fixtures/*.txt | wc -l) fixture dumps in sequence | $(( (end - start) / 1000000 )) ms total | |"
# Event logs: the real 16 MB Server 2012 R2 System log and generated ones,
# hvprobe (launch evidence only) beside evtxexport (every record, as XML).
logs=$(mktemp -d)
python3 bench/make_logs.py "$logs"
sys2012=tests/fixtures/evtx/ws2012r2-stolenszechuan-System.evtx
dump=$fixtures/intel_x86-64_haswell_intel-core-i3-4130-cpu.txt
measure "hvprobe, real 16 MB System log (Server 2012 R2, 60,189 records)" $hv --cpuid-dump $dump --evtx $sys2012 -q
measure "hvprobe, 20 MB System log" $hv --cpuid-dump $dump --evtx $logs/typical-20MB.evtx -q
measure "hvprobe, 100 MB System log" $hv --cpuid-dump $dump --evtx $logs/typical-100MB.evtx -q
measure "hvprobe, 100 MB of launch events only (worst case)" $hv --cpuid-dump $dump --evtx $logs/launches-100MB.evtx -q
if command -v evtxexport >/dev/null; then
  RUNS=3 measure "evtxexport, real 16 MB System log" evtxexport $sys2012
  RUNS=3 measure "evtxexport, 20 MB System log" evtxexport $logs/typical-20MB.evtx
fi
rm -rf "$logs"

# ---- Hostile inputs (issue 13): each was quadratic before. Made from the
# fixtures by tests/e2e/test_hostile_inputs.py (the store needs hivexregedit,
# libwin-hivex-perl); the bounds are in docs/benchmark.md.
hostile=$(mktemp -d)
if command -v hivexregedit >/dev/null &&
  HVPROBE=$hv HVPROBE_FIXTURES=$PWD/tests/fixtures python3 tests/e2e/test_hostile_inputs.py "$hostile" >/dev/null; then
  RUNS=5 measure "hvprobe, BCD store with 1,000 OS loaders (6.6 MB), every entry" \
    $hv --cpuid-dump $dump --bcd $hostile/BCD --bcd-entry all -q
  RUNS=5 measure "hvprobe compare, 2 MB baseline nested 500,000 deep (refused)" \
    $hv compare $hostile/deep-2MB.json --cpuid-dump $dump -q
  RUNS=5 measure "hvprobe compare, 1.8 MB baseline holding 600,000 empty arrays" \
    $hv compare $hostile/wide.json $hostile/good.json -q
  RUNS=5 measure "hvprobe, 63 MiB dump: 638 CPUs of 4,096 leaves" $hv --cpuid-dump $hostile/dump-4096.txt -q
else
  echo "| hostile inputs | hivexregedit not installed | |"
fi
rm -rf "$hostile"
# ---- end of hostile inputs

if command -v virt-host-validate >/dev/null; then measure "virt-host-validate" virt-host-validate; else echo "| virt-host-validate | not installed | |"; fi
if command -v kvm-ok >/dev/null; then measure "kvm-ok" kvm-ok; else echo "| kvm-ok | not installed | |"; fi
