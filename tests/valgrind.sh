#!/bin/sh
# The binary under valgrind memcheck: no invalid access, nothing leaked,
# on a live run, on dumps of each format, on BCD stores (one refused), and
# on snapshot and compare (one baseline refused), and on real event logs
# (the libevtx path) and one refused as not a log.
# Exit 99 marks a memcheck error.
set -u
hvprobe=$1
fixtures=$2
status=0
for args in "" \
  "--cpuid-dump $fixtures/cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt -v" \
  "--cpuid-dump $fixtures/cpuid/hygon_dhyana_hygon-c86-7185-32-core-processor.txt -f json" \
  "--cpuid-dump $fixtures/cpuid/amd_zen3_amd-ryzen-7-5800x3d-8-core-processor.txt" \
  "--cpuid-dump $fixtures/cpuid/arm_armv8a_cortex-a53.txt" \
  "--bcd $fixtures/bcd/BlueDruddigon_EFI_backup__EFI_Microsoft_Boot_BCD --bcd-entry all -f json" \
  "--bcd $fixtures/bcd/h1ppy_0pts-bitpixie__Boot_BCD --bcd-entry {memdiag} -v" \
  "--bcd $fixtures/cpuid/via_samuel_via-samuel.txt" \
  "snapshot -o valgrind.snapshot.json --cpuid-dump $fixtures/cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt" \
  "compare valgrind.snapshot.json --cpuid-dump $fixtures/cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt -f json" \
  "compare valgrind.snapshot.json valgrind.snapshot.json" \
  "compare $fixtures/cpuid/via_samuel_via-samuel.txt" \
  "--cpuid-dump $fixtures/cpuid/intel_x86-64_haswell_intel-core-i3-4130-cpu.txt --evtx $fixtures/evtx/win11-rathbunvm-System.evtx --evtx $fixtures/evtx/win11-rathbunvm-Setup.evtx -f json" \
  "--cpuid-dump $fixtures/cpuid/intel_x86-64_haswell_intel-core-i3-4130-cpu.txt --evtx $fixtures/evtx/python-evtx-tests-system.evtx -t hyperv" \
  "--cpuid-dump $fixtures/cpuid/intel_x86-64_haswell_intel-core-i3-4130-cpu.txt --evtx $fixtures/cpuid/via_samuel_via-samuel.txt"; do
  # shellcheck disable=SC2086
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all \
    "$hvprobe" $args >/dev/null 2>valgrind.err
  rc=$?
  if [ $rc -eq 99 ]; then
    echo "memcheck errors for: hvprobe $args"
    cat valgrind.err
    status=1
  fi
done
rm -f valgrind.err valgrind.snapshot.json
exit $status
