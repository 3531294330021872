#!/bin/sh
# Build hvprobe.efi (x86-64 UEFI application) with gnu-efi from the same
# portable sources as hvprobe (the lists of cmake/sources.cmake), the
# firmware's collectors of platform/uefi/, the entry point efi/main.c and
# the small C library shim of compat/uefi/.
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

# The lists of cmake/sources.cmake, as the CMake builds take them: every
# portable folder, the firmware's collectors and the C library shim in one
# archive, so the linker takes only what efi/main.c uses. The collectors
# (platform/uefi/) also see gnu-efi's headers; the portable folders do not.
sources_of() {
	sed -n "/^set($1\$/,/^)\$/s/^  \([^ ]*\)\$/\1/p" cmake/sources.cmake
}
objects=""
for list in PROBE FORMATS JUDGE REPORT PLATFORM_UEFI COMPAT_UEFI; do
  flags=$common
  if [ "$list" = PLATFORM_UEFI ]; then flags="$common $efi_includes"; fi
  for src in $(sources_of "HVPROBE_${list}_SOURCES"); do
    obj="$out/obj/$(echo "$src" | tr / _).o"
    # shellcheck disable=SC2086
    $cc $flags -c "$src" -o "$obj"
    objects="$objects $obj"
  done
done
rm -f "$out/obj/libhvprobe.a"
# shellcheck disable=SC2086
ar rcs "$out/obj/libhvprobe.a" $objects
# The entry point and the pool allocator also see gnu-efi's headers.
entry=""
for src in $(sources_of HVPROBE_EFI_SOURCES); do
  obj="$out/obj/$(echo "$src" | tr / _).o"
  # shellcheck disable=SC2086
  $cc $common $efi_includes -c "$src" -o "$obj"
  entry="$entry $obj"
done
# shellcheck disable=SC2086
ld -nostdlib -znocombreloc -z defs -T "$gnuefi_lib/elf_x86_64_efi.lds" -shared -Bsymbolic \
  "$gnuefi_lib/crt0-efi-x86_64.o" $entry "$out/obj/libhvprobe.a" \
  -L"$gnuefi_lib" -lefi -lgnuefi -o "$out/hvprobe.so"
objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j '.rel.*' \
  -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 "$out/hvprobe.so" "$out/hvprobe.efi"
echo "$out/hvprobe.efi"
