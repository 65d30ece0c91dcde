#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# build_gpio_sim.sh KVER IMAGE_VERSION OUTDIR: builds gpio-sim.ko for Debian's kernel KVER out of
# tree (Debian builds neither CONFIG_GPIO_SIM nor the IRQ_SIM it needs).
#   - gpio-sim.c, gpiolib.h and irq_sim.c come from linux-source-X.Y of the image's version;
#   - irq_sim.c is linked into the module privately (its exports dropped), and its one call of
#     irq_to_desc(), which modules cannot use, becomes the equivalent generic_handle_irq_safe();
#   - it is built against linux-headers-KVER (installed with apt-get: same source package).
# Exit status: 0 built; 77 cannot (no download, no headers); 1 the source no longer fits.
set -euo pipefail

KVER=$1 IVER=$2 OUT=$3
CACHE=${PIOGATE_VMRIG_CACHE:-/var/cache/piogate-vmrig}
say() { echo "[vmrig] $*" >&2; }
cannot() { say "cannot build gpio-sim: $*"; exit 77; }
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

KSER=${KVER%%-*}   # 6.1.0-56-amd64 -> 6.1.0
KSER=${KSER%.*}    # -> 6.1
SRCPKG=linux-source-$KSER

if ! dpkg-query -W -f='${Status}' "linux-headers-$KVER" 2>/dev/null | grep -q "install ok installed"; then
  [ "${PIOGATE_VMRIG_NO_APT:-0}" = 1 ] && cannot "linux-headers-$KVER missing (PIOGATE_VMRIG_NO_APT=1)"
  say "apt-get install linux-headers-$KVER"
  timeout 900 apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "linux-headers-$KVER" \
    >"$CACHE/logs/apt-headers.log" 2>&1 \
    || { tail -5 "$CACHE/logs/apt-headers.log" >&2; cannot "apt-get install linux-headers-$KVER failed"; }
fi

SRC=$OUT.src
rm -rf "$OUT" "$SRC" && mkdir -p "$OUT" "$SRC" && chmod 0777 "$SRC"
trap 'rm -rf "$SRC"' EXIT
say "downloading $SRCPKG ($IVER; ~140 MB, only 3 files are kept)"
(cd "$SRC" && { timeout 900 apt-get "${APT_OPTS[@]}" download "$SRCPKG=$IVER" \
                || timeout 900 apt-get "${APT_OPTS[@]}" download "$SRCPKG"; }) \
  >"$CACHE/logs/download-source.log" 2>&1 || cannot "apt-get download $SRCPKG failed"

top=$SRCPKG
dpkg-deb --fsys-tarfile "$SRC"/"$SRCPKG"_*.deb | tar -xO "./usr/src/$top.tar.xz" \
  | tar -xJ -C "$SRC" "$top/drivers/gpio/gpio-sim.c" "$top/drivers/gpio/gpiolib.h" \
      "$top/kernel/irq/irq_sim.c" \
  || cannot "gpio-sim.c / irq_sim.c not found in $SRCPKG"

cp "$SRC/$top/drivers/gpio/gpio-sim.c" "$OUT/gpio-sim-main.c"
cp "$SRC/$top/drivers/gpio/gpiolib.h" "$OUT/"
sed -e '/^EXPORT_SYMBOL/d' \
    -e 's/handle_simple_irq(irq_to_desc(\([a-z_]*\)))/generic_handle_irq_safe(\1)/' \
    "$SRC/$top/kernel/irq/irq_sim.c" > "$OUT/irq_sim.c"
if grep -q 'irq_to_desc' "$OUT/irq_sim.c"; then
  say "irq_sim.c of $SRCPKG still calls irq_to_desc(): the patch in $0 needs updating"
  exit 1
fi
printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' > "$OUT/Kbuild"

say "building gpio-sim.ko for $KVER"
if ! timeout 600 make -s -C "/usr/src/linux-headers-$KVER" M="$OUT" modules >"$OUT/build.log" 2>&1; then
  tail -20 "$OUT/build.log" >&2
  exit 1
fi
[ -e "$OUT/gpio-sim.ko" ] || { say "no gpio-sim.ko after the build"; exit 1; }
