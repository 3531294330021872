#!/bin/sh
# Build hvprobe.efi (x86-64 UEFI application) with gnu-efi from the same
# probe/, formats/ and report/ sources as hvprobe, the entry point efi/main.c
# and the small C library shim of compat/uefi/.
# usage: sh scripts/build-uefi.sh [OUTDIR]   (default build-uefi)
set -eu
cd "$(dirname "$0")/.."
out=${1:-build-uefi}
mkdir -p "$out/obj"
version=$(sed -n 's/^project(hvprobe VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
gnuefi_lib=/usr/lib
cc=${CC_UEFI:-gcc}
# Freestanding: the compiler's own stdint/stdarg/stddef/stdbool, the shim's
# stdio/stdlib/string/ctype, and nothing of the host's C library.
common="-std=c11 -O2 -ffreestanding -fno-stack-protector -fno-stack-check -fshort-wchar
  -mno-red-zone -fpic -fno-strict-aliasing -fvisibility=hidden -nostdinc
  -isystem $($cc -print-file-name=include) -Icompat/uefi/include -I.
  -DGNU_EFI_USE_MS_ABI -DHVPROBE_VERSION=\"$version\" -Wall -Wextra -Wno-format-truncation"
# Warnings are errors where HVPROBE_WERROR=ON (CI, scripts/test.sh), not by default.
if [ "${HVPROBE_WERROR:-OFF}" = ON ]; then common="$common -Werror"; fi
efi_includes="-I/usr/include/efi -I/usr/include/efi/x86_64 -I/usr/include/efi/protocol"

sources="probe/evidence.c probe/strbuf.c probe/cpuid_decode.c probe/facts.c probe/check.c
  probe/checks_cpu.c probe/checks_hv.c probe/checks_fw.c probe/checks_os.c probe/checks_bcd.c
  probe/checks_updates.c probe/checks_launch.c probe/launch.c probe/launch_events.c probe/utc.c probe/sort.c
  probe/bcd.c probe/utf16.c probe/known_issues.c probe/check_table.c
  probe/target.c probe/verdict.c report/json_writer.c report/report_json.c report/report_text.c
  report/text_clean.c report/summary.c formats/textscan.c formats/cpuid_dump.c formats/msr_text.c
  formats/bundle_text.c platform/cpuid_read.c compat/uefi/libc.c"
objects=""
for src in $sources; do
  obj="$out/obj/$(echo "$src" | tr / _).o"
  # shellcheck disable=SC2086
  $cc $common -c "$src" -o "$obj"
  objects="$objects $obj"
done
# shellcheck disable=SC2086
$cc $common $efi_includes -c efi/main.c -o "$out/obj/main.o"
# shellcheck disable=SC2086
$cc $common $efi_includes -c compat/uefi/pool.c -o "$out/obj/pool.o"
# shellcheck disable=SC2086
ld -nostdlib -znocombreloc -z defs -T "$gnuefi_lib/elf_x86_64_efi.lds" -shared -Bsymbolic \
  "$gnuefi_lib/crt0-efi-x86_64.o" $objects "$out/obj/pool.o" "$out/obj/main.o" \
  -L"$gnuefi_lib" -lefi -lgnuefi -o "$out/hvprobe.so"
objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j '.rel.*' \
  -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 "$out/hvprobe.so" "$out/hvprobe.efi"
echo "$out/hvprobe.efi"
