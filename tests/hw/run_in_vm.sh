#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# run_in_vm.sh CMD [ARGS]: runs CMD (normally the hw_tests binary) as root inside a QEMU VM that
# has real GPIO and I2C character devices: gpio-sim and i2c-stub, set up by vm/fixture.sh, which
# exports GPIO_CHIP, GPIOSIM_SYSFS, I2C_STUB_BUS and I2C_STUB_ADDRS to CMD.
#
# The VM boots Debian's stock kernel (vm/prepare.sh downloads it and builds what it lacks into
# a cache) and sees the host's root file system read-only over 9p, so CMD and its libraries run
# unchanged; the current directory is shared read-write (for --gtest_output=xml:...).
#
# Exit status: CMD's; 77 when the VM cannot run here (not root, not amd64, no packages or
# network, or the VM never came up: QEMU failed to start, or the guest did not reach the point
# where it runs CMD), reason on stderr; 124 when the VM run timed out after the guest came up;
# 125 when the VM died after coming up without reporting CMD's status (kernel panic, ...).
# With PIOGATE_VMRIG_REQUIRED=1 (CI) every such skip is a failure (1) instead.
# Knobs:
#   PIOGATE_VMRIG_CACHE    [/var/cache/piogate-vmrig]  kernel, module, initramfs, logs
#   PIOGATE_VMRIG_TIMEOUT  [600]  seconds for the VM run (boot, CMD, power off)
#   PIOGATE_VMRIG_MEM      [512]  guest MiB
#   PIOGATE_VMRIG_REQUIRED [0]    1: a VM that cannot run is a failure (1), not a skip (77)
#   PIOGATE_VMRIG_NO_APT   [0]    1: never call apt-get
#   PIOGATE_VMRIG_SKIP_LOG []     a file: each skip appends one line with its reason (.ci/run
#                                 lists them at the end)
# Passed into the VM: ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS, GTEST_* (the guest's
# environment is otherwise empty).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${PIOGATE_VMRIG_CACHE:-/var/cache/piogate-vmrig}
TIMEOUT=${PIOGATE_VMRIG_TIMEOUT:-600}
MEM=${PIOGATE_VMRIG_MEM:-512}
export PIOGATE_VMRIG_CACHE=$CACHE

say() { echo "[vmrig] $*" >&2; }
skip() {
  say "skipped: $*"
  [ -n "${PIOGATE_VMRIG_SKIP_LOG:-}" ] &&
    echo "tests/hw/run_in_vm.sh in $PWD: $*" >> "$PIOGATE_VMRIG_SKIP_LOG"
  [ "${PIOGATE_VMRIG_REQUIRED:-0}" = 1 ] && { say "PIOGATE_VMRIG_REQUIRED=1: failing"; exit 1; }
  exit 77
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ $# -ge 1 ] || { echo "usage: $0 CMD [ARGS]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || skip "needs root (apt-get, and qemu exporting / over 9p)"
case $CACHE$PWD in *[[:space:],]*) skip "paths with spaces or commas cannot go on the kernel command line: $CACHE, $PWD" ;; esac
T0=$(now)

# One preparation at a time (CI may run the ASan build's test right after the normal one).
mkdir -p "$CACHE" || skip "cannot create $CACHE"
exec 9>"$CACHE/.lock"
flock -w 1800 9 || skip "timed out waiting for another run to release $CACHE/.lock"
"$HERE/vm/prepare.sh"
rc=$?
flock -u 9; exec 9>&-
case $rc in 0) ;; 77) skip "the VM rig is not available" ;; *) say "preparing the VM failed ($rc)"; exit 1 ;; esac
# shellcheck disable=SC1091
. "$CACHE/rig.env"

RUN=$(mktemp -d "$CACHE/run.XXXXXX") || skip "cannot create a run directory in $CACHE"
QEMU_PID=
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  [ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null
  cp "$RUN/console.log" "$CACHE/last-console.log" 2>/dev/null
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The guest runs this script chrooted into the host's root: same paths, same binaries.
{
  echo 'set -u'
  printf 'cd %q || exit 1\n' "$PWD"
  for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS $(compgen -e | grep '^GTEST_' || true); do
    [ -n "${!v+x}" ] && printf 'export %s=%q\n' "$v" "${!v}"
  done
  printf 'exec %q' "$HERE/vm/fixture.sh"
  printf ' %q' "$@"
  echo
} > "$RUN/guest.sh"

RW=$RUN
[ "$PWD" != / ] && RW=$RW,$PWD
# The rig's own scripts (fixture.sh) must be visible too: the guest's /tmp, /run and /var/tmp
# are empty, so a checkout under /tmp (a CI clone) is shared explicitly.
case "$HERE/" in "$PWD"/*) ;; *) RW=$RW,$HERE ;; esac
SHARES=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap")
i=0
for d in ${RW//,/ }; do
  SHARES+=(-virtfs "local,path=$d,mount_tag=rw$i,security_model=none,multidevs=remap")
  i=$((i + 1))
done

say "prepared in $(since "$T0")s; booting $KVER (TCG, 1 vCPU, $MEM MiB, timeout ${TIMEOUT}s)"
T1=$(now)
# TCG: this host's /dev/kvm (if any) may not run stock kernels; tb-size bounds qemu's memory.
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -nodefaults -no-user-config -accel tcg,tb-size=64 \
  -M q35 -cpu max -smp 1 -m "$MEM" -display none -monitor none -serial stdio -no-reboot \
  -kernel "$VMLINUZ" -initrd "$INITRD" "${SHARES[@]}" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 piogate.run=$RUN piogate.rw=$RW" \
  </dev/null > >(tee "$RUN/console.log") 2>&1 &
QEMU_PID=$!
wait "$QEMU_PID"
qrc=$?
QEMU_PID=
sleep 0.2   # let tee flush
say "VM ran $(since "$T1")s (total $(since "$T0")s), qemu exit status $qrc"

# init.sh prints this line once the host's root is mounted, just before it runs CMD: without
# it the VM never came up on this machine (QEMU or the guest kernel cannot run here), a skip.
booted=0
grep -q 'piogate-vm: kernel .* up after' "$RUN/console.log" 2>/dev/null && booted=1
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
  [ "$booted" = 1 ] ||
    skip "the VM did not come up within ${TIMEOUT}s (console: $CACHE/last-console.log)"
  say "the VM run timed out after ${TIMEOUT}s (console: $CACHE/last-console.log)"
  exit 124
fi
if [ ! -s "$RUN/exit" ]; then
  [ "$booted" = 1 ] ||
    skip "the VM did not come up, qemu exit status $qrc (console: $CACHE/last-console.log)"
  say "the VM stopped without reporting an exit status (console: $CACHE/last-console.log)"
  exit 125
fi
exit "$(cat "$RUN/exit")"
