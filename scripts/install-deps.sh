#!/bin/sh
# Install what hvprobe needs on Debian 12, through apt, idempotently:
# packages already present are left alone, and apt is only asked when
# something is missing, so a second run costs a dpkg query and no network.
#
#   sh scripts/install-deps.sh          build and run hvprobe (scripts/run.sh;
#       libsystemd-dev for reading the journal)
#   sh scripts/install-deps.sh windows  and cross-build hvprobe.exe (MinGW-w64)
#   sh scripts/install-deps.sh test     everything scripts/test.sh runs: cmocka,
#       clang's libFuzzer, valgrind, hivexregedit for the BCD tests, evtxexport
#       and python3-evtx to check the event log tests;
#       systemd-journal-remote to write the journal tests' files; QEMU, a
#       Debian kernel, busybox, OVMF, the FAT tools and gnu-efi for the
#       emulated machines and hvprobe.efi; promtool, xmllint, systemd-analyze
#       and ansible-core for the format tests; debootstrap, qemu-utils
#       (qemu-img), e2fsprogs (mke2fs -d) and openssh-client for the emulated
#       Debian hosts of the rolling-patch test, and ansible (Debian's
#       collections, ansible.windows among them) for its Windows branch;
#       groff and man-db for the man page,
#       dpkg-dev (dpkg-shlibdeps) and file (which CPack DEB runs) to build and
#       test the Debian package;
#       MinGW-w64 and wine for Windows.
set -eu

BUILD="build-essential cmake pkg-config libcpuid-dev libhivex-dev libjsmn-dev libevtx-dev libbfio-dev libsystemd-dev python3"
WINDOWS="gcc-mingw-w64-x86-64"
TEST="
  libcmocka-dev clang libclang-rt-14-dev valgrind cpuid libwin-hivex-perl
  libevtx-utils python3-evtx
  qemu-system-x86 linux-image-amd64 busybox-static ovmf mtools dosfstools cpio gnu-efi
  prometheus libxml2-utils ansible-core systemd systemd-journal-remote
  debootstrap qemu-utils e2fsprogs openssh-client ansible
  groff-base man-db dpkg-dev file
  wine wine64
"
case "${1:-build}" in
  build) PACKAGES=$BUILD ;;
  windows) PACKAGES="$BUILD $WINDOWS" ;;
  test) PACKAGES="$BUILD $WINDOWS $TEST" ;;
  *) echo "usage: install-deps.sh [build|windows|test]" >&2; exit 64 ;;
esac

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
