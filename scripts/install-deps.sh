#!/bin/sh
# Install what hvprobe needs to build, run and test on Debian 12 (the
# emulated machines of tests/vm need QEMU, a Debian kernel, busybox, OVMF
# and the FAT tools; the format tests validate with promtool, xmllint,
# systemd-analyze and ansible-playbook; the Windows build cross-compiles
# with MinGW-w64 and is tested under wine; hvprobe.efi builds with gnu-efi).
# Idempotent: packages already present are left alone, and apt is only asked
# when something is missing, so a second run costs a dpkg query and no network.
set -eu

PACKAGES="
  build-essential cmake pkg-config
  libcpuid-dev libcmocka-dev libhivex-dev libjsmn-dev
  clang libclang-rt-14-dev
  python3 valgrind cpuid libwin-hivex-perl
  qemu-system-x86 linux-image-amd64 busybox-static ovmf mtools dosfstools cpio
  prometheus libxml2-utils ansible-core systemd
  gcc-mingw-w64-x86-64 wine wine64 gnu-efi
"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
