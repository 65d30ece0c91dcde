#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# fixture.sh CMD [ARGS]: runs inside the test VM (root, chrooted into the host's file system).
# Sets up the devices the hardware tests expect, exports where they are, then runs CMD:
#   - gpio-sim: one chip like a Raspberry Pi's, 28 lines named GPIO0..GPIO27, label
#     pinctrl-bcm2835. GPIO_CHIP is its name (gpiochipN), GPIOSIM_SYSFS its simulator directory
#     (drive inputs with $GPIOSIM_SYSFS/sim_gpioN/pull, read outputs from .../sim_gpioN/value).
#   - i2c-stub: SMBus-only fake chips at I2C_STUB_ADDRS (0x76 and 0x77, like two BME280s) on
#     /dev/i2c-$I2C_STUB_BUS. Each register is a 16-bit cell; byte and block transfers use the
#     low byte of cells N, N+1, ...; a word transfer uses cell N alone.
set -euo pipefail

CFG=/sys/kernel/config/gpio-sim/piogate
modprobe gpio-sim
mkdir "$CFG" "$CFG/bank0"
echo 28 > "$CFG/bank0/num_lines"
echo pinctrl-bcm2835 > "$CFG/bank0/label"
for i in $(seq 0 27); do
  mkdir "$CFG/bank0/line$i"
  echo "GPIO$i" > "$CFG/bank0/line$i/name"
done
echo 1 > "$CFG/live"
GPIO_CHIP=$(cat "$CFG/bank0/chip_name")
GPIOSIM_SYSFS=/sys/devices/platform/$(cat "$CFG/dev_name")/$GPIO_CHIP
[ -c "/dev/$GPIO_CHIP" ] || { echo "fixture: /dev/$GPIO_CHIP missing" >&2; exit 1; }
export GPIO_CHIP GPIOSIM_SYSFS

I2C_STUB_ADDRS=0x76,0x77
modprobe i2c-stub chip_addr=$I2C_STUB_ADDRS
I2C_STUB_BUS=
for a in /sys/class/i2c-adapter/i2c-*; do
  if [ "$(cat "$a/name")" = "SMBus stub driver" ]; then I2C_STUB_BUS=${a##*/i2c-}; fi
done
if [ -z "$I2C_STUB_BUS" ] || [ ! -c "/dev/i2c-$I2C_STUB_BUS" ]; then
  echo "fixture: no i2c-stub bus" >&2
  exit 1
fi
export I2C_STUB_BUS I2C_STUB_ADDRS

echo "fixture: gpio-sim /dev/$GPIO_CHIP ($GPIOSIM_SYSFS), i2c-stub /dev/i2c-$I2C_STUB_BUS at $I2C_STUB_ADDRS"
exec "$@"
