#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The checks of the booted-system tier (.ci/booted), run as root by systemd (PID 1) in the VM
# once multi-user.target is up. /pkg is the run's share: apt/ (build/apt, the signed repository
# .ci/aptrepo wrote), readme-install.sh (the README's install lines, run as they stand, with the
# repository at /srv/piogate-apt), upgrade/ (the same package with a higher version, signed with
# the same key), tampered/ (apt/ with a changed InRelease), env (README_EXPOSURE=N.N).
# Prints "booted-check: ..." lines on the console and writes its exit status to /pkg/result.
set -uo pipefail
export LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive SYSTEMD_PAGER='' SYSTEMD_COLORS=0
t0=$(date +%s)
say() { printf 'booted-check: [%3ss] %s\n' "$(($(date +%s) - t0))" "$*"; }
fail() { say "FAILED: $*"; exit 1; }
show() { sed 's/^/booted-check:     | /'; }
on_exit() {
    local rc=$?
    echo "$rc" >/pkg/result
    sync
    say "exit $rc"
}
trap on_exit EXIT
# shellcheck disable=SC1091
. /pkg/env

# Polls "$@" every 0.5 s for up to $1 seconds; true once it succeeds.
wait_for() {
    local secs=$1 i
    shift
    for ((i = 0; i < secs * 2; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    return 1
}
prop() { systemctl show -p "$1" --value piogate; }
status_topic() { echo "piogate/$(hostname)/status"; }
# The retained status message on the local broker ("" when none within 10 s).
retained_status() { timeout 20 mosquitto_sub -h localhost -t "$(status_topic)" -C 1 -W 10 2>/dev/null; }

say "systemd $(systemctl --version | head -n1 | cut -d' ' -f2) is PID 1 ($(cat /proc/1/comm)), kernel $(uname -r), up $(cut -d' ' -f1 /proc/uptime) s"
[ "$(cat /proc/1/comm)" = systemd ] || fail "PID 1 is not systemd"

# An I2C bus for the sensor added by the reload below: i2c-stub with a chip at 0x48 (its
# registers read 0, so a generic sensor reading register 0 there publishes 0). Loaded before the package: its postinst
# gives existing /dev/i2c-* the group i2c through the package's udev rules.
modprobe i2c-dev && modprobe i2c-stub chip_addr=0x48 || fail "modprobe i2c-dev i2c-stub"
bus=
for f in /sys/class/i2c-dev/i2c-*/name; do
    grep -q 'SMBus stub' "$f" && bus=$(basename "$(dirname "$f")")
done
[ -n "$bus" ] || fail "no i2c-stub adapter under /sys/class/i2c-dev"
udevadm settle -t 30 || true

say "apt: the README's install lines, the signed repository at /srv/piogate-apt (mosquitto is installed)"
mkdir -p /srv && ln -sfn /pkg/apt /srv/piogate-apt
# What a user at the terminal does: answer apt's question with yes. The VM has no network:
# Debian's suites fail at once (their lists and the dependencies' .debs came with the image).
printf 'APT::Get::Assume-Yes "true";\nAcquire::Retries "0";\n' >/etc/apt/apt.conf.d/90booted
grep -rqsE 'trusted=yes|^Trusted: *yes' /etc/apt/sources.list /etc/apt/sources.list.d &&
    fail "an apt source is marked trusted before the install"
systemctl is-active --quiet mosquitto || fail "mosquitto is not running"
(cd /root && bash -e /pkg/readme-install.sh) </dev/null >/tmp/apt-install.log 2>&1 ||
    { tail -n 30 /tmp/apt-install.log | show; fail "the README's install lines failed"; }
show </etc/apt/sources.list.d/piogate.sources
grep -qx 'Signed-By: /etc/apt/keyrings/piogate-archive-keyring.gpg' /etc/apt/sources.list.d/piogate.sources ||
    fail "piogate.sources has no Signed-By: /etc/apt/keyrings/piogate-archive-keyring.gpg"
src=$(apt-cache policy piogate | grep -A1 -F '***' | sed -n 2p | xargs)
case $src in *file:/srv/piogate-apt\ bookworm/main*) ;; *) apt-cache policy piogate | show
    fail "piogate was not installed from file:/srv/piogate-apt bookworm/main" ;; esac
say "  from: $src"
say "  apt set up: $(sed -n 's/^Setting up \([^ ]*\) .*/\1/p' /tmp/apt-install.log | tr '\n' ' ')"
udevadm settle -t 30 || true
say "  /dev/$bus: $(stat -c '%U:%G %a' "/dev/$bus")"
[ "$(stat -c %G "/dev/$bus")" = i2c ] || fail "/dev/$bus is not in group i2c after the install"
dpkg-query -W -f='${Version}' piogate | grep -q booted && fail "apt took the upgrade package"

say "apt refuses the repository once its InRelease is changed (same key, no Release.gpg)"
printf 'Types: deb\nURIs: file:/pkg/tampered\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' \
    /etc/apt/keyrings/piogate-archive-keyring.gpg >/etc/apt/sources.list.d/piogate-tampered.sources
# Only this source (as the upgrade below): a cache of Debian's lists is not rebuilt for it.
tampered=(-o Dir::Etc::sourcelist=sources.list.d/piogate-tampered.sources -o Dir::Etc::sourceparts=-
          -o APT::Get::List-Cleanup=0)
apt-get update -q "${tampered[@]}" >/tmp/apt-tampered.log 2>&1 &&
    { show </tmp/apt-tampered.log; fail "apt-get update accepted the tampered repository"; }
grep -E '^(E|W):' /tmp/apt-tampered.log | show
grep -q 'BADSIG' /tmp/apt-tampered.log ||
    { show </tmp/apt-tampered.log; fail "apt failed on the tampered repository, but not for its signature"; }
apt-cache "${tampered[@]}" madison piogate | grep -q tampered && fail "apt lists piogate from the tampered repository"
rm /etc/apt/sources.list.d/piogate-tampered.sources

say "active and enabled"
wait_for 60 systemctl is-active --quiet piogate ||
    { systemctl status piogate --no-pager 2>&1 | show; fail "piogate is not active: $(systemctl is-active piogate)"; }
[ "$(systemctl is-enabled piogate)" = enabled ] || fail "piogate is not enabled: $(systemctl is-enabled piogate)"
pid=$(prop MainPID)
user=$(stat -c %U "/proc/$pid")
[ "$user" = piogate ] || fail "MainPID $pid runs as '$user', not piogate"
say "  MainPID $pid runs as $user, groups: $(sed -n 's/^Groups:[[:space:]]*//p' "/proc/$pid/status" | xargs -n1 getent group | cut -d: -f1 | tr '\n' ' ')"
grep -q '^CapEff:[[:space:]]*0*$' "/proc/$pid/status" || fail "MainPID has capabilities: $(grep CapEff "/proc/$pid/status")"

say "STATUS= in systemctl status, online on the local mosquitto"
connected() { systemctl status piogate --no-pager 2>&1 | grep -q 'Status: "broker connected'; }
wait_for 60 connected ||
    { systemctl status piogate --no-pager 2>&1 | show; fail "systemctl status shows no 'Status: \"broker connected'"; }
systemctl status piogate --no-pager 2>&1 | grep 'Status:' | show
st=$(retained_status)
[ "$st" = online ] || fail "$(status_topic) is '$st', not online"
say "  $(status_topic): $st"

say "systemd-analyze security piogate.service <= README's $README_EXPOSURE"
level=$(systemd-analyze security piogate.service 2>&1 | sed -n 's/.*Overall exposure level for piogate.service: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || { systemd-analyze security piogate.service 2>&1 | tail -n 5 | show; fail "no exposure level"; }
awk -v a="$level" -v b="$README_EXPOSURE" 'BEGIN { exit !(a <= b) }' ||
    fail "exposure $level on the booted system, above the README's $README_EXPOSURE"
say "  exposure level $level"

say "reload with two added sensors: same PID, sensors applied"
cp /etc/piogate/config.json /root/config.good
cat >/etc/piogate/config.json <<EOF
{
  "mqtt": {"host": "localhost", "port": 1883},
  "board": {"kind": "linux"},
  "sensors": [{"id": "stub", "type": "generic", "bus": ${bus#i2c-}, "address": "0x48", "register": 0,
               "length": 2, "scale": 0.00390625, "quantity": "temperature", "unit": "°C",
               "interval_s": 2},
              {"id": "cpu", "type": "soc_temperature", "interval_s": 2}],
  "inputs": [],
  "actuators": []
}
EOF
piogate --check-config -c /etc/piogate/config.json >/tmp/check.log 2>&1 ||
    { show </tmp/check.log; fail "the edited config does not check"; }
prefix=piogate/$(hostname)
timeout 60 mosquitto_sub -h localhost -v -t "$prefix/sensors/stub" -C 1 -W 50 >/tmp/stub.txt 2>&1 &
sub=$!
sleep 1
systemctl reload piogate || fail "systemctl reload piogate failed"
[ "$(prop MainPID)" = "$pid" ] || fail "reload changed the PID: $pid -> $(prop MainPID)"
sensor_applied() { systemctl status piogate --no-pager 2>&1 | grep -q 'Status: .*2 sensors'; }
wait_for 30 sensor_applied ||
    { systemctl status piogate --no-pager 2>&1 | show; fail "STATUS= does not count the added sensors"; }
systemctl status piogate --no-pager 2>&1 | grep 'Status:' | show
[ "$(systemctl is-active piogate)" = active ] || fail "not active after reload"
wait "$sub" || true
grep -q '"temperature":0' /tmp/stub.txt ||
    { show </tmp/stub.txt; journalctl -u piogate --no-pager -n 20 | show
      fail "no reading of the sensor on /dev/$bus (group i2c, DevicePolicy=closed, PrivateUsers=yes)"; }
say "  $(cat /tmp/stub.txt)"

say "journal: the sensor's messages by PIOGATE_CHANNEL, warnings by priority"
# No thermal zone in this VM: the SoC temperature sensor fails, as a warning of channel cpu.
chan() { journalctl -q --no-pager PIOGATE_CHANNEL=cpu | grep -q .; }
wait_for 30 chan || { journalctl -u piogate --no-pager -n 30 | show; fail "journalctl PIOGATE_CHANNEL=cpu is empty"; }
journalctl -q --no-pager PIOGATE_CHANNEL=cpu -n 2 | show

say "a bad edit is refused by reload (same PID, still active, the old config kept)"
echo '{"mqtt": {"host": "localhost", "port": "not a port"}' >/etc/piogate/config.json
since=$(date '+%Y-%m-%d %H:%M:%S')
systemctl reload piogate || say "  (systemctl reload exited non-zero)"
sleep 2
[ "$(prop MainPID)" = "$pid" ] || fail "a bad reload changed the PID: $pid -> $(prop MainPID)"
[ "$(systemctl is-active piogate)" = active ] || fail "not active after a bad reload: $(systemctl is-active piogate)"
sensor_applied || fail "the running config was not kept after a bad reload"
wait_for 20 sh -c "journalctl -q --no-pager -u piogate -p warning --since '$since' | grep -qi config" ||
    { journalctl -u piogate --no-pager -n 20 | show; fail "no warning about the bad config in journalctl -u piogate -p warning"; }
say "  journalctl -u piogate -p warning:"
journalctl -q --no-pager -u piogate -p warning --since "$since" | tail -n 3 | show

say "stop publishes offline"
systemctl stop piogate || fail "systemctl stop"
st=$(retained_status)
[ "$st" = offline ] || fail "$(status_topic) is '$st' after stop, not offline"

say "restart with the bad file fails (exit 2) without a restart loop"
systemctl start piogate && fail "systemctl start succeeded with a bad config"
sleep 12   # more than RestartSec=5: a restart would have happened
[ "$(prop ExecMainStatus)" = 2 ] || fail "exit status $(prop ExecMainStatus), not 2"
[ "$(prop NRestarts)" = 0 ] || fail "systemd restarted it $(prop NRestarts) times"
state=$(systemctl is-active piogate || true)
[ "$state" = failed ] || fail "state '$state', not failed"
say "  $state, ExecMainStatus=2, NRestarts=0"

say "watchdog restarts a SIGSTOPped daemon (drop-in WatchdogSec=10)"
cp /root/config.good /etc/piogate/config.json
mkdir -p /etc/systemd/system/piogate.service.d
printf '[Service]\nWatchdogSec=10\n' >/etc/systemd/system/piogate.service.d/watchdog.conf
systemctl daemon-reload
systemctl reset-failed piogate
systemctl start piogate || fail "start with the good config"
pid=$(prop MainPID)
kill -STOP "$pid"
restarted() { [ "$(prop NRestarts)" -ge 1 ] && [ "$(prop MainPID)" != "$pid" ] && [ "$(prop MainPID)" != 0 ] &&
              systemctl is-active --quiet piogate; }
wait_for 90 restarted ||
    { systemctl status piogate --no-pager 2>&1 | show; fail "no restart after SIGSTOP (NRestarts $(prop NRestarts))"; }
journalctl -q --no-pager -u piogate -g 'atchdog' | grep -q . || fail "no watchdog line in the journal"
say "  PID $pid -> $(prop MainPID), NRestarts=$(prop NRestarts); $(journalctl -q --no-pager -u piogate -g 'atchdog' -o cat | head -n1)"
rm -r /etc/systemd/system/piogate.service.d
systemctl daemon-reload

say "upgrade to a higher version keeps the locally edited conffile"
sed -i 's/"sensors": \[\]/"sensors": [{"id": "edited", "type": "soc_temperature"}]/' /etc/piogate/config.json
grep -q '"edited"' /etc/piogate/config.json || fail "could not edit the conffile"
printf 'Types: deb\nURIs: file:/pkg/upgrade\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' \
    /etc/apt/keyrings/piogate-archive-keyring.gpg >/etc/apt/sources.list.d/piogate-upgrade.sources
apt-get update -q -o Dir::Etc::sourcelist=sources.list.d/piogate-upgrade.sources \
    -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 >/tmp/apt-update.log 2>&1 ||
    { show </tmp/apt-update.log; fail "apt-get update of the upgrade repository"; }
apt-get install -y -q piogate >/tmp/apt-upgrade.log 2>&1 ||
    { tail -n 20 /tmp/apt-upgrade.log | show; fail "apt-get install piogate (upgrade)"; }
dpkg-query -W -f='${Version}' piogate | grep -q booted || fail "not upgraded: $(dpkg-query -W -f='${Version}' piogate)"
grep -q '"edited"' /etc/piogate/config.json || fail "the upgrade replaced the edited conffile"
wait_for 60 systemctl is-active --quiet piogate || fail "not active after the upgrade"
say "  $(dpkg-query -W -f='${Version}' piogate), edit kept, $(systemctl is-active piogate)"

say "apt-get purge removes config and state"
[ -d /var/lib/piogate ] || fail "no /var/lib/piogate before purge"
apt-get purge -y -q piogate >/tmp/apt-purge.log 2>&1 || { tail -n 20 /tmp/apt-purge.log | show; fail "apt-get purge"; }
[ ! -e /etc/piogate ] || fail "/etc/piogate is still there: $(ls -A /etc/piogate)"
[ ! -e /var/lib/piogate ] || fail "/var/lib/piogate is still there"
[ ! -e /etc/systemd/system/multi-user.target.wants/piogate.service ] || fail "still enabled"
grep -qx piogate /proc/[0-9]*/comm 2>/dev/null && fail "a piogate process survived the purge"
say "passed"
exit 0
