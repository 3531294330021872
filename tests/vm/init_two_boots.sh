#!/bin/busybox sh
# /init of the two-boots guest (tests/vm/two_boots.py builds the initramfs).
# One boot of a machine whose /var/log/journal lives on a persistent ext4
# disk (/dev/vda): systemd-journald (the host's, with its libraries) writes
# this boot's kernel messages and hvprobe's --syslog line there, as on a
# systemd host; the harness boots the same disk again and reads the journal.
# The kernel command line says what to do:
#   hv.mods=kvm-amd   module groups to load after journald is up (their
#                     files, in order, are listed in /etc/mods/NAME)
# Progress goes to the serial console as @@TWOBOOTS lines, the last one
# "DONE ok" or DONE and what went wrong.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mount -t cgroup2 cgroup2 /sys/fs/cgroup # journald asks for its cgroup root
echo 0 >/proc/sys/kernel/printk # the console is for the harness's lines

# A progress line with the seconds since the kernel started.
note() { echo "@@TWOBOOTS $(cut -d' ' -f1 /proc/uptime) $*"; }
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tr ',' ' '; }
load() {
  while read -r ko; do insmod "$ko" 2>/dev/null; done <"/etc/mods/$1"
}
# Wait up to $2 tenths of a second for the path $1 to exist.
await() {
  n=0
  while [ ! -e "$1" ] && [ "$n" -lt "$2" ]; do sleep 0.1; n=$((n + 1)); done
  [ -e "$1" ]
}
halt() {
  note "DONE $1"
  sync
  poweroff -f
}

load disk
mount -t ext4 /dev/vda /mnt || halt "no-disk"
cp /mnt/etc/machine-id /etc/machine-id
mount -o bind /mnt/var/log/journal /var/log/journal || halt "no-journal-dir"
hostname guest
note "disk mounted"

# What the socket units would have set up: journald binds its sockets itself
# when not socket-activated; /dev/log is the symlink of
# systemd-journald-dev-log.socket.
mkdir -p /run/systemd/journal
ln -sf /run/systemd/journal/dev-log /dev/log
# Its own messages go to the console, where the harness shows them on a
# failure (its default, kmsg, is not on the console here).
SYSTEMD_LOG_TARGET=console /lib/systemd/systemd-journald </dev/null >/dev/console 2>&1 &
journald=$!
# The runtime journal file is opened after the signal handlers are set up.
await "/run/log/journal/$(cat /etc/machine-id)/system.journal" 300 || halt "no-journald"
# systemd-journal-flush.service: once /var is there, move /run's journal to
# it; journald answers SIGUSR1 by flushing and creating this flag.
kill -USR1 "$journald"
await /run/systemd/journal/flushed 300 || halt "no-flush"
note "journald $journald up, boot_id $(cat /proc/sys/kernel/random/boot_id)"

for m in $(arg hv.mods); do load "$m"; done
/bin/hvprobe --target kvm --syslog -q
note "hvprobe exit $?"

# journalctl --sync: SIGRTMIN+1 (glibc's SIGRTMIN is 34) makes journald
# write out everything queued before it, then create this flag.
kill -35 "$journald"
await /run/systemd/journal/synced 300 || note "no sync"
kill -TERM "$journald"
wait "$journald"
umount /var/log/journal
umount /mnt
halt "ok"
