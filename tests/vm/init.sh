#!/bin/busybox sh
# /init of the test guests (tests/vm/run_vms.py builds the initramfs).
# The kernel command line says what to do:
#   hv.mods=kvm-amd,msr   modules to load (their files, in order, are listed
#                         in /etc/mods/NAME by the harness)
#   hv.esp=1              mount the second disk (a FAT ESP) at /boot/efi
#   hv.runs=default,kvm   one hvprobe run each: "default" (no --target) or a target
# Each run's JSON goes to the serial console between @@HVPROBE markers.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo 0 >/proc/sys/kernel/printk # no kernel messages inside the JSON

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tr ',' ' '; }

load() {
  while read -r ko; do insmod "$ko" 2>/dev/null; done <"/etc/mods/$1"
}

for m in $(arg hv.mods); do load "$m"; done
if [ -d /sys/firmware/efi ]; then
  load efivarfs
  mount -t efivarfs efivarfs /sys/firmware/efi/efivars
fi
if [ "$(arg hv.esp)" = 1 ]; then
  load esp
  mkdir -p /boot/efi
  mount -t vfat /dev/vda /boot/efi || echo "@@HVPROBE-NOTE cannot mount the ESP"
fi
hostname guest
echo 3d1219c7c4c5404aaa1f6d2a48adfd00 >/etc/machine-id

# A run still going after HUNG_AFTER seconds (one takes a few) is stuck:
# say where each of its threads waits, in the kernel and at which system
# call, and have the kernel list its blocked tasks and every CPU's stack,
# so that a hang in CI can be told from a slow machine.
HUNG_AFTER=120
running() { grep -qs '^State:[[:space:]]*[^Z[:space:]]' "/proc/$1/status"; }
report_hang() {
  echo "@@HVPROBE-HUNG $2 after $HUNG_AFTER s"
  echo 7 >/proc/sys/kernel/printk
  echo w >/proc/sysrq-trigger
  echo l >/proc/sysrq-trigger
  sleep 2
  echo 0 >/proc/sys/kernel/printk
  for t in /proc/"$1"/task/*; do
    echo "thread ${t##*/} $(cat "$t/comm") $(grep '^State:' "$t/status") wchan $(cat "$t/wchan")"
    echo "  syscall $(cat "$t/syscall")"
    sed 's/^/  /' "$t/stack"
  done
}

for run in $(arg hv.runs); do
  if [ "$run" = default ]; then target=""; else target="--target $run"; fi
  echo "@@HVPROBE-BEGIN $run"
  # shellcheck disable=SC2086
  /bin/hvprobe --format json $target &
  pid=$!
  tenths=0
  while running "$pid" && [ "$tenths" -lt $((HUNG_AFTER * 10)) ]; do
    usleep 100000
    tenths=$((tenths + 1))
  done
  running "$pid" && report_hang "$pid" "$run"
  wait "$pid"
  rc=$?
  echo
  echo "@@HVPROBE-END $run $rc"
done
echo "@@HVPROBE-DONE"
poweroff -f
