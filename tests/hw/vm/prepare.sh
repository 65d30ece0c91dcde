#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Prepares what tests/hw/run_in_vm.sh boots, in a cache outside the repository:
#   - Debian's stock amd64 kernel, downloaded with apt-get download and unpacked (never
#     installed: the host's /boot and boot loader are untouched);
#   - gpio-sim.ko, built out of tree: Debian does not build CONFIG_GPIO_SIM (nor IRQ_SIM, which
#     it needs), so gpio-sim.c is taken from the matching linux-source package and a private copy
#     of irq_sim.c is linked into the module;
#   - a small initramfs: static busybox, tests/hw/vm/init.sh as /init, and the modules for 9p,
#     configfs, i2c-dev, i2c-stub and gpio-sim.
# Writes $CACHE/rig.env (KVER, VMLINUZ, INITRD) for run_in_vm.sh.
#
# Exit status: 0 ready; 77 the rig cannot be had here (reason on stderr); 1 a bug in the rig.
# Knobs: PIOGATE_VMRIG_CACHE [/var/cache/piogate-vmrig], PIOGATE_VMRIG_NO_APT [0] (1: never call
# apt-get, skip when something is missing).
set -euo pipefail

CACHE=${PIOGATE_VMRIG_CACHE:-/var/cache/piogate-vmrig}
HERE=$(cd "$(dirname "$0")" && pwd)
NO_APT=${PIOGATE_VMRIG_NO_APT:-0}

say() { echo "[vmrig] $*" >&2; }
cannot() { say "cannot prepare the VM: $*"; exit 77; }

[ "$(id -u)" = 0 ] || cannot "needs root (apt-get, unpacking the kernel into $CACHE)"
[ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ] || cannot "only amd64 hosts are supported"
mkdir -p "$CACHE/logs"
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

missing_pkgs() {
  local p out=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out+=("$p")
  done
  echo "${out[*]:-}"
}

apt_updated=0
apt_update() {
  [ "$apt_updated" = 1 ] && return 0
  [ "$NO_APT" = 1 ] && cannot "$1 (PIOGATE_VMRIG_NO_APT=1)"
  say "apt-get update"
  timeout 600 apt-get "${APT_OPTS[@]}" update -qq >"$CACHE/logs/apt-update.log" 2>&1 \
    || cannot "apt-get update failed (see $CACHE/logs/apt-update.log)"
  apt_updated=1
}

install_pkgs() {
  local missing
  missing=$(missing_pkgs "$@")
  [ -z "$missing" ] && return 0
  [ "$NO_APT" = 1 ] && cannot "missing packages: $missing (PIOGATE_VMRIG_NO_APT=1)"
  say "apt-get install $missing"
  # shellcheck disable=SC2086
  if ! timeout 900 apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends $missing \
      >"$CACHE/logs/apt-install.log" 2>&1; then
    apt_update "installing $missing"
    # shellcheck disable=SC2086
    timeout 900 apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends $missing \
      >"$CACHE/logs/apt-install.log" 2>&1 \
      || { tail -5 "$CACHE/logs/apt-install.log" >&2; cannot "apt-get install $missing failed"; }
  fi
}

# Downloads package $1 into directory $2 (apt-get download writes into the current directory).
download() {
  local pkg=$1 dir=$2
  rm -rf "$dir" && mkdir -p "$dir" && chmod 0777 "$dir"   # the _apt user writes there
  (cd "$dir" && timeout 900 apt-get "${APT_OPTS[@]}" download "$pkg") \
    >"$CACHE/logs/download.log" 2>&1
}

# ------------------------------------------------------------------ host tools
install_pkgs qemu-system-x86 busybox-static kmod cpio xz-utils gcc make

# ------------------------------------------------------------------ kernel version
# Reuse the kernel of the last complete build; otherwise ask apt which ABI linux-image-amd64
# points at now (e.g. 6.1.0-56-amd64).
KVER=
if [ -s "$CACHE/kver" ] && [ -e "$CACHE/k-$(cat "$CACHE/kver")/.done" ]; then
  KVER=$(cat "$CACHE/kver")
fi
resolve_kver() {
  apt-cache depends linux-image-amd64 2>/dev/null \
    | awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }'
}
if [ -z "$KVER" ]; then
  KVER=$(resolve_kver)
  if [ -z "$KVER" ]; then apt_update "no apt lists to resolve the kernel"; KVER=$(resolve_kver); fi
  [ -n "$KVER" ] || cannot "apt-cache does not know linux-image-amd64"
fi
K=$CACHE/k-$KVER
KROOT=$K/root
MODDIR=$KROOT/lib/modules/$KVER
VMLINUZ=$KROOT/boot/vmlinuz-$KVER
CONFIG=$KROOT/boot/config-$KVER
# What the guest loads; gpio-sim is added below (built here, or shipped by a newer kernel).
MODULES="virtio_pci 9pnet_virtio 9p configfs i2c-dev i2c-stub"

# Files (with their dependencies) of the modules in $MODULES and, if the kernel has it, gpio-sim.
list_modules() {
  local m extra=
  grep -q '^CONFIG_GPIO_SIM=m' "$CONFIG" && extra=gpio-sim
  for m in $MODULES $extra; do
    modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>/dev/null \
      | awk '$1 == "insmod" { print $2 }' || true
  done | sort -u
}

if [ ! -e "$K/.done" ] || [ "$(cat "$K/modules.for" 2>/dev/null)" != "$MODULES" ]; then
  say "downloading linux-image-$KVER"
  if ! download "linux-image-$KVER" "$K/deb"; then
    apt_update "linux-image-$KVER is not downloadable"
    KVER=$(resolve_kver); K=$CACHE/k-$KVER; KROOT=$K/root; MODDIR=$KROOT/lib/modules/$KVER
    VMLINUZ=$KROOT/boot/vmlinuz-$KVER; CONFIG=$KROOT/boot/config-$KVER
    download "linux-image-$KVER" "$K/deb" || cannot "apt-get download linux-image-$KVER failed"
  fi
  rm -rf "$KROOT" "$K/.done" && mkdir -p "$KROOT"
  dpkg-deb -x "$K"/deb/linux-image-"$KVER"_*.deb "$KROOT"
  dpkg-deb -f "$K"/deb/linux-image-"$KVER"_*.deb Version > "$K/version"
  rm -rf "$K/deb"
  [ -d "$KROOT/lib/modules" ] || ln -s usr/lib "$KROOT/lib"   # merged /usr (trixie)
  # Keep only the modules the guest needs (the package unpacks to ~400 MB).
  depmod -b "$KROOT" "$KVER"   # the package ships no modules.dep: its postinst makes it
  list_modules > "$K/modules.list"
  grep -q '/i2c-stub\.ko' "$K/modules.list" || cannot "i2c-stub.ko not found in linux-image-$KVER"
  find "$MODDIR" -name '*.ko*' | { grep -vxFf "$K/modules.list" || true; } | xargs -r rm -f
  find "$MODDIR" -depth -type d -empty -delete
  echo "$MODULES" > "$K/modules.for"
  touch "$K/.done"
fi
[ -r "$VMLINUZ" ] || cannot "no $VMLINUZ in linux-image-$KVER"
grep -q '^CONFIG_I2C_STUB=m' "$CONFIG" || cannot "kernel $KVER has no i2c-stub module"
grep -q '^CONFIG_I2C_CHARDEV=[my]' "$CONFIG" || cannot "kernel $KVER has no i2c-dev"

# ------------------------------------------------------------------ gpio-sim
GSIM=$K/gpio-sim
if grep -q '^CONFIG_GPIO_SIM=[my]' "$CONFIG"; then
  GSIM_KO=
elif [ -e "$GSIM/gpio-sim.ko" ]; then
  GSIM_KO=$GSIM/gpio-sim.ko
else
  "$HERE/build_gpio_sim.sh" "$KVER" "$(cat "$K/version")" "$GSIM" || {
    rc=$?; [ $rc = 77 ] && exit 77; cannot "building gpio-sim.ko failed (rc $rc)"; }
  GSIM_KO=$GSIM/gpio-sim.ko
fi

# ------------------------------------------------------------------ initramfs
INITRD=$K/initrd.gz
stamp=$( { cat "$HERE/init.sh" "$0" "$K/modules.list"; [ -n "$GSIM_KO" ] && md5sum < "$GSIM_KO"; } \
         | md5sum | cut -d' ' -f1)
if [ ! -e "$INITRD" ] || [ "$(cat "$K/initrd.stamp" 2>/dev/null)" != "$stamp" ]; then
  say "building the initramfs"
  S=$K/stage
  SM=$S/lib/modules/$KVER
  rm -rf "$S" && mkdir -p "$S"/{bin,dev,proc,sys,host} "$SM"
  cp /bin/busybox "$S/bin/busybox"
  cp "$HERE/init.sh" "$S/init" && chmod 0755 "$S/init"
  while read -r f; do
    rel=${f#"$MODDIR"/}
    mkdir -p "$SM/$(dirname "$rel")"
    case $f in   # busybox modprobe wants them plain (Debian compresses modules since 6.x)
      *.xz) xz -dc "$f" > "$SM/${rel%.xz}" ;;
      *.zst) zstd -qdc "$f" > "$SM/${rel%.zst}" ;;
      *) cp "$f" "$SM/$rel" ;;
    esac
  done < "$K/modules.list"
  if [ -n "$GSIM_KO" ]; then mkdir -p "$SM/extra" && cp "$GSIM_KO" "$SM/extra/"; fi
  cp "$MODDIR"/modules.order "$MODDIR"/modules.builtin* "$SM/" 2>/dev/null || true
  depmod -b "$S" "$KVER"
  (cd "$S" && find . | cpio -o -H newc --quiet) | gzip -1 > "$INITRD.tmp"
  mv "$INITRD.tmp" "$INITRD"
  echo "$stamp" > "$K/initrd.stamp"
  rm -rf "$S"
fi

# Written whole, then renamed: a run that has just released the lock may be reading it.
printf 'KVER=%s\nVMLINUZ=%s\nINITRD=%s\n' "$KVER" "$VMLINUZ" "$INITRD" > "$CACHE/rig.env.tmp"
mv "$CACHE/rig.env.tmp" "$CACHE/rig.env"
echo "$KVER" > "$CACHE/kver"
for d in "$CACHE"/k-*; do [ "$d" = "$K" ] || rm -rf "$d"; done   # kernels of earlier ABIs
