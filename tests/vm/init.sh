#!/bin/busybox sh
# /init of the test guests (tests/vm/run_vms.py builds the initramfs).
# The kernel command line says what to do:
#   hv.mods=kvm-amd,msr   modules to load (their files, in order, are listed
#                         in /etc/mods/NAME by the harness)
#   hv.setup=esp          mount the second disk (a FAT ESP) at /boot/efi
#   hv.setup=systemd-boot lay out systemd-boot's entries on /boot/efi and
#                         set its EFI variables (see stage_systemd_boot)
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
hostname guest
machine_id=3d1219c7c4c5404aaa1f6d2a48adfd00
echo "$machine_id" >/etc/machine-id

# An EFI variable of systemd-boot's vendor GUID holding a string, written
# through the kernel's efivarfs in one write as that requires: 4 bytes of
# attributes, then the value in UTF-16LE with its terminating NUL. The
# attributes are 7 (non-volatile, boot and runtime access), as bootctl
# writes LoaderEntryOneShot; systemd-boot sets LoaderInfo volatile at
# boot, which an OS cannot create once boot services have ended, so here
# it is non-volatile too: hvprobe reads only the value.
sdboot_var() {
  value=""
  rest=$2
  while [ -n "$rest" ]; do
    value="$value${rest%"${rest#?}"}\\000"
    rest=${rest#?}
  done
  # shellcheck disable=SC2059 # the value is escapes for printf to turn into bytes
  printf "\\007\\000\\000\\000$value\\000\\000" \
    >"/sys/firmware/efi/efivars/$1-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f" ||
    echo "@@HVPROBE-NOTE cannot write the EFI variable $1"
}

# systemd-boot as Debian 12's kernel-install lays it out on the ESP: one
# entry per kernel (MACHINE-ID-RELEASE.conf, its image under
# MACHINE-ID/RELEASE/). loader.conf's default is a kernel whose modules
# are not installed; bootctl set-oneshot has picked the running kernel
# for the next boot, and systemd-boot has said it started this boot
# (LoaderInfo). GRUB's files are there too and name the kernel without
# modules: systemd-boot started this boot, so its choice counts. So
# kvm.next_boot passes only if both variables are read live.
stage_systemd_boot() {
  running=$(uname -r)
  mkdir -p /boot/grub
  cat >/boot/grub/grub.cfg <<'CFG'
set default="0"
menuentry 'Debian GNU/Linux' $menuentry_id_option 'gnulinux-simple-1' {
	linux	/vmlinuz-6.1.0-1-amd64 root=UUID=1 ro quiet
}
CFG
  mkdir -p /boot/efi/loader/entries
  echo "default $machine_id-6.1.0-1-amd64.conf" >/boot/efi/loader/loader.conf
  for release in 6.1.0-1-amd64 "$running"; do
    mkdir -p "/boot/efi/$machine_id/$release"
    echo MZ >"/boot/efi/$machine_id/$release/linux"
    printf 'title      Debian GNU/Linux 12 (bookworm)\nversion    %s\nmachine-id %s\nsort-key   debian\noptions    console=ttyS0\nlinux      /%s/%s/linux\n' \
      "$release" "$machine_id" "$machine_id" "$release" \
      >"/boot/efi/loader/entries/$machine_id-$release.conf"
  done
  sdboot_var LoaderInfo "systemd-boot 252"
  sdboot_var LoaderEntryOneShot "$machine_id-$running.conf"
}

case "$(arg hv.setup)" in
esp)
  load esp
  mkdir -p /boot/efi
  mount -t vfat /dev/vda /boot/efi || echo "@@HVPROBE-NOTE cannot mount the ESP"
  ;;
systemd-boot) stage_systemd_boot ;;
esac

# A run still going HUNG_AFTER seconds after it began (one takes a few) is
# stuck: say where each of its threads waits, in the kernel and at which
# system call, and have the kernel list its blocked tasks and every CPU's
# stack, so that a hang in CI can be told from a slow machine (run_vms.py
# reads the report). The JSON goes to a file and is printed between the
# markers after the run, so a run that was only slow still gives it whole.
HUNG_AFTER=120
# Seconds since boot, in $now; builtins only, as this polls during a run.
read_uptime() {
  read -r now _ </proc/uptime
  now=${now%.*}
}
# Whether process $1 has not ended: its state in /proc/PID/stat (the
# command name, hvprobe, has no blank) is not Z; builtins only.
running() {
  state=Z
  { read -r _ _ state _ <"/proc/$1/stat"; } 2>/dev/null
  [ "$state" != Z ]
}
report_hang() {
  echo "@@HVPROBE-HUNG $2 after $HUNG_AFTER s"
  echo 7 >/proc/sys/kernel/printk
  echo w >/proc/sysrq-trigger
  echo l >/proc/sysrq-trigger
  sleep 2
  echo 0 >/proc/sys/kernel/printk
  for t in /proc/"$1"/task/*; do
    [ -d "$t" ] || continue # it ended meanwhile
    echo "thread ${t##*/} $(cat "$t/comm") $(grep '^State:' "$t/status") wchan $(cat "$t/wchan")"
    echo "  syscall $(cat "$t/syscall")"
    sed 's/^/  /' "$t/stack"
  done
  echo "@@HVPROBE-HUNG-END"
}

for run in $(arg hv.runs); do
  if [ "$run" = default ]; then target=""; else target="--target $run"; fi
  # shellcheck disable=SC2086
  /bin/hvprobe --format json $target >/tmp/hvprobe.json &
  pid=$!
  read_uptime
  deadline=$((now + HUNG_AFTER))
  while running "$pid" && [ "$now" -lt "$deadline" ]; do
    usleep 200000
    read_uptime
  done
  running "$pid" && report_hang "$pid" "$run"
  wait "$pid"
  rc=$?
  echo "@@HVPROBE-BEGIN $run"
  cat /tmp/hvprobe.json
  echo
  echo "@@HVPROBE-END $run $rc"
done
echo "@@HVPROBE-DONE"
poweroff -f
