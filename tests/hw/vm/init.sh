#!/bin/busybox sh
# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=dash
# /init of the test VM's initramfs (busybox). Mounts the host's root file system read-only over
# 9p, chroots into it and runs the host-written script piogate.run=DIR/guest.sh, then writes its
# exit status to DIR/exit (DIR is shared read-write) and powers off. The host's binaries and
# libraries thus run unchanged on this kernel, with gpio-sim and i2c-stub loaded on demand.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

RUN=
RW=
# shellcheck disable=SC2013  # words, not lines, are wanted
for arg in $(cat /proc/cmdline); do
  case $arg in
    piogate.run=*) RUN=${arg#piogate.run=} ;;
    piogate.rw=*) RW=${arg#piogate.rw=} ;;
  esac
done

halt() { echo "piogate-vm: $*"; sync; poweroff -f; }

for m in virtio_pci 9pnet_virtio 9p configfs i2c-dev; do
  modprobe "$m" 2>/dev/null || grep -qw "$m" /lib/modules/*/modules.builtin 2>/dev/null \
    || echo "piogate-vm: modprobe $m failed"
done

R=/host
OPTS=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$OPTS,ro,cache=loose" hostroot $R || halt "cannot mount the host root over 9p"
mount -t proc proc $R/proc
mount -t sysfs sysfs $R/sys
mount -t devtmpfs devtmpfs $R/dev
mount -t configfs configfs $R/sys/kernel/config
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
for d in /tmp /run /var/tmp; do mount -t tmpfs -o mode=1777 tmpfs $R$d; done
# modprobe inside the chroot (the fixture loads i2c-stub and gpio-sim) sees this kernel's modules.
mount -o bind /lib/modules $R/lib/modules

i=0
for d in $(echo "$RW" | tr , ' '); do
  mkdir -p "$R$d" 2>/dev/null  # needed only under the guest's own tmpfs (/tmp)
  mount -t 9p -o "$OPTS" "rw$i" "$R$d" || halt "cannot mount the read-write share $d"
  i=$((i + 1))
done
if [ -z "$RUN" ] || [ ! -r "$R$RUN/guest.sh" ]; then halt "no script (piogate.run=$RUN)"; fi

echo "piogate-vm: kernel $(uname -r) up after $(cut -d' ' -f1 /proc/uptime)s"
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 \
  TERM=dumb PIOGATE_VM=1 chroot $R /bin/bash "$RUN/guest.sh"
rc=$?
echo "piogate-vm: done after $(cut -d' ' -f1 /proc/uptime)s, exit status $rc"
echo "$rc" > "$R$RUN/exit"
sync
for d in $(echo "$RW" | tr , ' '); do umount "$R$d"; done
echo "PIOGATE_VM_EXIT=$rc"
poweroff -f
