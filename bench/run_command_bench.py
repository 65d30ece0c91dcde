#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The daemon benchmark: command -> state latency, and footprint.

Latency. For each broker kind (--brokers, default both: "stock" = mosquitto's
stock settings, "nodelay" = with set_tcp_nodelay true), starts a private
/usr/sbin/mosquitto on a free 127.0.0.1 port and two subjects on it:

  daemon  the piogate daemon on a generated config: simulated board, one
          actuator "relay" (GPIO22), topic prefix bench/daemon;
  echo    bench_echo_libmosquitto, a minimal single-thread libmosquitto client
          doing the same work minus the GPIO line (prefix bench/echo).

Then, per run, the same measuring client (bench_command_probe, libmosquitto)
sends --warmup + --count commands to PREFIX/actuators/relay/set, alternating
ON/OFF, one at a time, each waiting for the matching PREFIX/actuators/relay/state,
against one subject and then the other (the order alternates between runs, so
drift hits both alike). Reported per subject: p50 / p90 / p99 / p99.9 / max
of the round trip (medians over the runs), p99 against the echo's, the
subject's CPU per command (on-CPU time of all its threads from
/proc/PID/task/*/schedstat) and its peak RSS (VmHWM).

The probe acknowledges received data at once (TCP_QUICKACK), so that it never
adds mosquitto's Nagle delay (~40 ms, REFERENCE.md) itself; what the subjects'
own ACK behaviour costs against a stock broker shows in the "stock" table.
Against a stock broker the echo's round trips are ~44 ms each, so the stock
broker gets --stock-runs runs (default 1: 10k commands take ~7.5 min there).

Footprint (--footprint-seconds, 0 = skip). A fresh stock broker, the daemon on
a config with 20 simulated sensors on 4 I2C buses at 1 s intervals, and the
echo client idling beside it as the reference. After --footprint-seconds it
reports the daemon's VmHWM / VmRSS / RssAnon / RssFile and threads from
/proc/PID/status, its CPU % (utime + stime from /proc/PID/stat over the window
after a 3 s settling time), the readings that arrived (a paho-mqtt subscriber
counts PREFIX/sensors/+), and the echo client's VmHWM. With --footprint-config
FILE (e.g. config/demo.json) a second daemon runs beside them on that file, its
broker, client id and topic prefix replaced and STATE_DIRECTORY pointed at the
run's directory, and is reported in the same table.

Every wait is bounded: the probe gives up on a command after 5 s, each probe
run after --timeout seconds, a subject has 5 s to exit on SIGTERM.

Example:
  /usr/bin/python3 bench/run_command_bench.py --daemon build/src/piogate \\
      --echo build/bench/bench_echo_libmosquitto --probe build/bench/bench_command_probe
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_publish_bench import MOSQUITTO, Broker, on_sigterm  # noqa: E402

ACTUATOR = "relay"
DAEMON_PREFIX = "bench/daemon"
ECHO_PREFIX = "bench/echo"
FOOTPRINT_PREFIX = "bench/footprint"
CLK_TCK = os.sysconf("SC_CLK_TCK")

# 20 sensors on 4 simulated buses: (bus, model, address, config extras).
FOOTPRINT_SENSORS = [
    (1, "bme280", 0x76, {}), (1, "bmp280", 0x77, {}), (1, "sht3x", 0x44, {}),
    (1, "aht20", 0x38, {}), (1, "bh1750", 0x23, {}),
    (2, "htu21d", 0x40, {}), (2, "ads1115", 0x48, {"channels": [0, 1]}), (2, "lm75", 0x49, {}),
    (2, "tmp102", 0x4a, {}), (2, "mcp9808", 0x18, {}),
    (3, "ina219", 0x41, {}), (3, "ads1015", 0x48, {"channels": [0]}), (3, "sht3x", 0x45, {}),
    (3, "bme280", 0x76, {}), (3, "mcp9808", 0x19, {}),
    (4, "bh1750", 0x5c, {}), (4, "aht20", 0x38, {}), (4, "lm75", 0x48, {}),
    (4, "tmp102", 0x49, {}), (4, "ina219", 0x40, {}),
]


def daemon_config(port, prefix, sensors=False):
    cfg = {
        "mqtt": {"host": "127.0.0.1", "port": port, "client_id": "bench-" + prefix.replace("/", "-"),
                 "topic_prefix": prefix},
        "board": {"kind": "sim"},
    }
    if sensors:
        buses = {}
        cfg["sensors"] = []
        for i, (bus, model, address, extra) in enumerate(FOOTPRINT_SENSORS):
            buses.setdefault(bus, []).append({"model": model, "address": f"0x{address:02x}"})
            cfg["sensors"].append({"id": f"s{i + 1:02d}_{model}", "type": model, "bus": bus,
                                   "address": f"0x{address:02x}", "interval_s": 1, **extra})
        cfg["board"]["i2c"] = [{"bus": b, "devices": d} for b, d in sorted(buses.items())]
    else:
        cfg["actuators"] = [{"id": ACTUATOR, "line": "GPIO22", "initial": "OFF", "failsafe": "OFF"}]
    return cfg


def write_config(workdir, name, cfg, daemon_exe):
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        json.dump(cfg, f, indent=1)
    r = subprocess.run([daemon_exe, "--check-config", "-c", path], capture_output=True, text=True,
                       timeout=30)
    if r.returncode != 0:
        raise RuntimeError(f"generated config {name} rejected: {r.stdout}{r.stderr}")
    return path


class Subject:
    """A long-running process (daemon or echo client) in its own session."""

    def __init__(self, name, argv, workdir):
        self.name = name
        self.log = os.path.join(workdir, name + ".log")
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                         start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def check_alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited ({self.proc.returncode}){self.log_tail()}")

    def log_tail(self):
        try:
            with open(self.log) as f:
                return f"\n--- {self.name} log (tail) ---\n" + "".join(f.readlines()[-20:])
        except OSError:
            return ""

    def cpu_seconds(self):
        """On-CPU time of all threads (ns resolution), from /proc/PID/task/*/schedstat."""
        total = 0
        for tid in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                pass  # a thread that just ended
        return total / 1e9

    def stat_cpu_seconds(self):
        """utime + stime of the whole process (clock ticks) from /proc/PID/stat."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def status(self):
        out = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "Threads"):
                    out[key] = int(value.split()[0])
        return out

    def stop(self):
        """SIGTERM, wait 5 s, then SIGKILL; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                raise RuntimeError(f"{self.name} did not exit within 5 s of SIGTERM{self.log_tail()}")
        return self.proc.returncode


def run_probe(probe_exe, port, prefix, count, warmup, qos, timeout):
    cmd = [probe_exe, "--port", str(port), "--prefix", prefix, "--id", ACTUATOR,
           "--count", str(count), "--warmup", str(warmup), "--qos", str(qos)]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RuntimeError(f"probe timed out after {timeout} s")
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"probe exit {proc.returncode}: {err.decode().strip()}")
    return json.loads(out.decode().strip().splitlines()[-1])


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def latency_phase(args, kind, workdir, raw):
    runs = args.runs if kind == "nodelay" else args.stock_runs
    count = args.count if kind == "nodelay" else args.stock_count
    bdir = os.path.join(workdir, kind)
    os.mkdir(bdir)
    broker = Broker(args.mosquitto, kind == "nodelay", bdir)
    subjects = {}
    try:
        cfg = write_config(bdir, "daemon.json", daemon_config(broker.port, DAEMON_PREFIX), args.daemon)
        subjects["daemon"] = Subject("daemon", [args.daemon, "-c", cfg, "--log-level", "warning"], bdir)
        subjects["echo"] = Subject("echo", [args.echo, "--port", str(broker.port), "--prefix",
                                            ECHO_PREFIX, "--id", ACTUATOR], bdir)
        prefixes = {"daemon": DAEMON_PREFIX, "echo": ECHO_PREFIX}
        results = {"daemon": [], "echo": []}
        for run in range(1, runs + 1):
            order = ["echo", "daemon"] if run % 2 else ["daemon", "echo"]
            for name in order:
                s = subjects[name]
                s.check_alive()
                cpu0, bcpu0 = s.cpu_seconds(), broker.cpu_seconds()
                r = run_probe(args.probe, broker.port, prefixes[name], count, args.warmup, args.qos,
                              args.timeout)
                r["subject_cpu_us_per_cmd"] = (s.cpu_seconds() - cpu0) * 1e6 / (count + args.warmup)
                r["broker_cpu_us_per_cmd"] = (broker.cpu_seconds() - bcpu0) * 1e6 / (count + args.warmup)
                r.update(subject=name, broker=kind, run=run, loadavg=loadavg())
                r["vmhwm_kib"] = s.status()["VmHWM"]
                broker.check_alive()
                results[name].append(r)
                raw.append(r)
                print(f"{kind} run {run} {name}: p50 {r['p50_us']:.0f} µs, p99 {r['p99_us']:.0f} µs, "
                      f"max {r['max_us']:.0f} µs (load {r['loadavg']})", file=sys.stderr)
        for name, s in subjects.items():
            rc = s.stop()
            if rc != 0:
                raise RuntimeError(f"{name} exited with {rc} on SIGTERM{s.log_tail()}")
        return results, count, runs
    finally:
        for s in subjects.values():
            if s.proc.poll() is None:
                os.killpg(s.proc.pid, signal.SIGKILL)
                s.proc.wait()
        broker.stop()


def fmt_ratio(r):
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.4f}×"


def print_latency_table(kind, results, count, runs, warmup, qos):
    med = lambda name, key: statistics.median(r[key] for r in results[name])  # noqa: E731
    broker_kind = "set_tcp_nodelay true" if kind == "nodelay" else "stock settings"
    print(f"\nmosquitto ({broker_kind}): {count} commands (+{warmup} warm-up) at QoS {qos}, "
          f"one at a time, median of {runs} run(s); round trip set -> state in µs\n")
    print("| subject | p50 | p90 | p99 | p99.9 | max | p99 vs echo | CPU µs/cmd | broker CPU µs/cmd "
          "| peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in ("echo", "daemon"):
        print(f"| {name} | {med(name, 'p50_us'):,.0f} | {med(name, 'p90_us'):,.0f} "
              f"| {med(name, 'p99_us'):,.0f} | {med(name, 'p999_us'):,.0f} | {med(name, 'max_us'):,.0f} "
              f"| {fmt_ratio(med(name, 'p99_us') / med('echo', 'p99_us'))} "
              f"| {med(name, 'subject_cpu_us_per_cmd'):.1f} | {med(name, 'broker_cpu_us_per_cmd'):.1f} "
              f"| {med(name, 'vmhwm_kib') / 1024:.1f} |")


def count_readings(port, prefix, stop_event, counts):
    """paho-mqtt subscriber on its own thread: counts readings and non-empty error messages."""
    import paho.mqtt.client as mqtt
    c = mqtt.Client(client_id=f"bench-footprint-counter-{os.getpid()}", clean_session=True)
    c.on_connect = lambda cl, u, f, rc: cl.subscribe([(prefix + "/sensors/+", 0),
                                                     (prefix + "/sensors/+/error", 0)])

    def on_message(cl, u, m):
        if m.topic.endswith("/error"):
            counts["errors"] += bool(m.payload)
        elif counts["counting"]:
            counts["readings"] += 1
    c.on_message = on_message
    c.connect("127.0.0.1", port, 60)
    c.loop_start()
    try:
        stop_event.wait(3600)
    finally:
        c.disconnect()
        c.loop_stop()


def extra_config(args, fdir, port):
    """--footprint-config with this run's broker, a client id and prefix of its own."""
    with open(args.footprint_config) as f:
        cfg = json.load(f)
    cfg.setdefault("mqtt", {})
    for key in ("hosts", "url", "transport", "tls", "proxy", "username", "password_file"):
        cfg["mqtt"].pop(key, None)
    cfg["mqtt"].update(host="127.0.0.1", port=port, client_id="bench-footprint-config",
                       topic_prefix="bench/footprint-config")
    os.environ["STATE_DIRECTORY"] = fdir  # counters and restored states, for every subject
    return write_config(fdir, "footprint-config.json", cfg, args.daemon)


def footprint_phase(args, workdir, run):
    fdir = os.path.join(workdir, f"footprint{run}")
    os.mkdir(fdir)
    broker = Broker(args.mosquitto, False, fdir)
    subjects = {}
    stop_counter = threading.Event()
    counts = {"readings": 0, "errors": 0, "counting": False}
    counter = None
    try:
        cfg = write_config(fdir, "daemon-20-sensors.json",
                           daemon_config(broker.port, FOOTPRINT_PREFIX, sensors=True), args.daemon)
        counter = threading.Thread(target=count_readings,
                                   args=(broker.port, FOOTPRINT_PREFIX, stop_counter, counts), daemon=True)
        counter.start()
        subjects["daemon"] = Subject("daemon", [args.daemon, "-c", cfg, "--log-level", "warning"], fdir)
        subjects["echo"] = Subject("echo", [args.echo, "--port", str(broker.port), "--prefix",
                                            ECHO_PREFIX, "--id", ACTUATOR], fdir)
        if args.footprint_config:
            subjects["config"] = Subject("config", [args.daemon, "-c", extra_config(args, fdir, broker.port),
                                                    "--log-level", "warning"], fdir)
        d = subjects["daemon"]
        time.sleep(3)  # start-up and the first readings
        d.check_alive()
        t0, cpu0, sched0 = time.monotonic(), d.stat_cpu_seconds(), d.cpu_seconds()
        x = subjects.get("config")
        xcpu0 = x.stat_cpu_seconds() if x else 0
        counts["counting"] = True
        time.sleep(args.footprint_seconds)
        counts["counting"] = False
        d.check_alive()
        wall = time.monotonic() - t0
        result = {
            "seconds": round(wall, 3),
            "daemon": d.status(),
            "daemon_cpu_pct": round((d.stat_cpu_seconds() - cpu0) * 100 / wall, 3),
            "daemon_cpu_pct_schedstat": round((d.cpu_seconds() - sched0) * 100 / wall, 3),
            "readings_per_s": round(counts["readings"] / wall, 2),
            "sensor_errors": counts["errors"],
            "echo": subjects["echo"].status(),
            "loadavg": loadavg(),
        }
        if x:
            x.check_alive()
            result["config"] = x.status()
            result["config_cpu_pct"] = round((x.stat_cpu_seconds() - xcpu0) * 100 / wall, 3)
        for name, s in subjects.items():
            rc = s.stop()
            if rc != 0:
                raise RuntimeError(f"{name} exited with {rc} on SIGTERM{s.log_tail()}")
        return result
    finally:
        stop_counter.set()
        if counter:
            counter.join(5)
        for s in subjects.values():
            if s.proc.poll() is None:
                os.killpg(s.proc.pid, signal.SIGKILL)
                s.proc.wait()
        broker.stop()


def print_footprint(results, seconds):
    med = lambda f: statistics.median(f(r) for r in results)  # noqa: E731
    print(f"\nfootprint: daemon with {len(FOOTPRINT_SENSORS)} simulated sensors on 4 buses at 1 s "
          f"intervals, {seconds} s after 3 s of start-up, stock mosquitto, median of {len(results)} "
          f"run(s)\n")
    print("| process | VmHWM MiB | VmRSS MiB | RssAnon MiB | RssFile MiB | threads | CPU % "
          "| readings/s |")
    print("|---|---|---|---|---|---|---|---|")
    m = lambda key: med(lambda r: r["daemon"][key]) / 1024  # noqa: E731
    print(f"| piogate daemon | {m('VmHWM'):.2f} | {m('VmRSS'):.2f} | {m('RssAnon'):.2f} "
          f"| {m('RssFile'):.2f} | {med(lambda r: r['daemon']['Threads']):.0f} "
          f"| {med(lambda r: r['daemon_cpu_pct']):.2f} (schedstat "
          f"{med(lambda r: r['daemon_cpu_pct_schedstat']):.2f}) "
          f"| {med(lambda r: r['readings_per_s']):.1f} |")
    e = lambda key: med(lambda r: r["echo"][key]) / 1024  # noqa: E731
    print(f"| libmosquitto echo (idle, reference) | {e('VmHWM'):.2f} | {e('VmRSS'):.2f} "
          f"| {e('RssAnon'):.2f} | {e('RssFile'):.2f} | {med(lambda r: r['echo']['Threads']):.0f} "
          f"| – | – |")
    if all("config" in r for r in results):
        c = lambda key: med(lambda r: r["config"][key]) / 1024  # noqa: E731
        print(f"| piogate daemon on {results[0]['config_name']} | {c('VmHWM'):.2f} | {c('VmRSS'):.2f} "
              f"| {c('RssAnon'):.2f} | {c('RssFile'):.2f} | {med(lambda r: r['config']['Threads']):.0f} "
              f"| {med(lambda r: r['config_cpu_pct']):.2f} | – |")
    errors = sum(r["sensor_errors"] for r in results)
    if errors:
        print(f"\n{errors} sensor error messages during the runs")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--daemon", required=True, help="the piogate executable")
    ap.add_argument("--echo", required=True, help="bench_echo_libmosquitto")
    ap.add_argument("--probe", required=True, help="bench_command_probe")
    ap.add_argument("--brokers", default="stock,nodelay", help="comma-separated: stock, nodelay")
    ap.add_argument("--count", type=int, default=10000, help="commands per run (nodelay broker)")
    ap.add_argument("--runs", type=int, default=3, help="runs per subject (nodelay broker)")
    ap.add_argument("--stock-count", type=int, default=10000, help="commands per run (stock broker)")
    ap.add_argument("--stock-runs", type=int, default=1, help="runs per subject (stock broker)")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--qos", type=int, default=1, choices=(0, 1, 2), help="QoS of the commands")
    ap.add_argument("--timeout", type=float, default=900, help="per probe run, seconds")
    ap.add_argument("--footprint-seconds", type=float, default=60, help="0 = skip the footprint")
    ap.add_argument("--footprint-runs", type=int, default=1)
    ap.add_argument("--footprint-config", help="also run the daemon on this config (e.g. config/demo.json)")
    ap.add_argument("--mosquitto", default=MOSQUITTO)
    ap.add_argument("--json-out", help="write the raw results here, one JSON line per run")
    args = ap.parse_args()
    kinds = [k for k in args.brokers.split(",") if k]
    if any(k not in ("stock", "nodelay") for k in kinds):
        ap.error("--brokers takes stock and/or nodelay")
    if not 0 <= args.footprint_seconds <= 3600:
        ap.error("--footprint-seconds: 0..3600")

    signal.signal(signal.SIGTERM, on_sigterm)
    raw = []
    tables = []
    footprints = []
    with tempfile.TemporaryDirectory(prefix="piogate-cmd-bench-") as workdir:
        for kind in kinds:
            results, count, runs = latency_phase(args, kind, workdir, raw)
            tables.append((kind, results, count, runs))
        if args.footprint_seconds > 0:
            for run in range(1, args.footprint_runs + 1):
                r = footprint_phase(args, workdir, run)
                r["run"] = run
                if args.footprint_config:
                    r["config_name"] = os.path.basename(args.footprint_config)
                footprints.append(r)
                raw.append({"footprint": r})
                print(f"footprint run {run}: VmHWM {r['daemon']['VmHWM']} kB, CPU {r['daemon_cpu_pct']} %, "
                      f"{r['readings_per_s']} readings/s (load {r['loadavg']})", file=sys.stderr)

    if args.json_out:
        with open(args.json_out, "w") as f:
            for r in raw:
                f.write(json.dumps(r) + "\n")
    for kind, results, count, runs in tables:
        print_latency_table(kind, results, count, runs, args.warmup, args.qos)
    if footprints:
        print_footprint(footprints, args.footprint_seconds)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
