#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Compare MQTT publishers against one private Mosquitto broker (or a sink, --sink).

Starts /usr/sbin/mosquitto on a free 127.0.0.1 port (stock settings unless
--broker-nodelay), runs every implementation for every QoS, interleaved
(run 1: A B per QoS, run 2: A B ..., so drift hits all alike), and prints a
markdown table of medians. The first --impl is the reference for the ratios.

Each implementation is a command prefix; the driver appends
  --host 127.0.0.1 --port P --qos Q --count N --size S --inflight W
and expects one JSON line on stdout with at least
  rate (msgs/s), cpu_us_per_msg (client user+sys CPU) and maxrss_kib.
It also measures the broker's CPU per message for each run (on-CPU time of
the broker process from /proc/PID/schedstat, from before the run until the
broker is quiet again after it, so a QoS 0 backlog the broker reads after
the client has exited counts for the run that left it and does not slow
the next run; every run starts on a quiet broker): the
broker is the ceiling for the publish rate, so this shows how close to it a
run got. Raw results (client JSON plus run number and broker CPU) go to
--json-out, one line per run.

--sink PATH publishes to bench_mqtt_sink (bench/mqtt_sink.c) instead: a peer that
acknowledges every packet at once and routes nothing, at a fraction of a microsecond per
message. Against Mosquitto every fast publisher runs at the broker's rate; against the sink
each runs at its own, so the ratios there compare the clients. The "broker CPU" column is then
the sink's.

Example:
  bench/run_publish_bench.py --impl libmosquitto=build/bench/bench_pub_libmosquitto \\
      --impl piogate=build/bench/bench_pub_piogate --json-out /tmp/pub.jsonl

Both faces against both libmosquitto modes and python paho (bench/run_both_faces.sh runs it):
  --impl libmosquitto-thread='build/bench/bench_pub_libmosquitto --threaded'
  --impl piogate-thread='build/bench/bench_pub_piogate --threaded'
  --impl paho-thread=bench/paho_pub_bench.py
  --compare piogate-thread:libmosquitto-thread --compare piogate-thread:paho-thread
"""
import argparse
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

MOSQUITTO = "/usr/sbin/mosquitto"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    """A private mosquitto on 127.0.0.1, killed by stop()."""

    def __init__(self, exe, nodelay, workdir, sink=None):
        self.port = free_port()
        self.log = os.path.join(workdir, "mosquitto.log")
        self.name = "mosquitto"
        if sink:
            # bench_mqtt_sink: acknowledges and routes nothing (bench/mqtt_sink.c).
            self.name = "sink"
            self.stderr = os.path.join(workdir, "sink.stderr")
            with open(self.stderr, "w") as err:
                self.proc = subprocess.Popen([sink, "--port", str(self.port)],
                                             stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                             start_new_session=True)
            try:
                self.wait_listening()
            except BaseException:
                self.stop()
                raise
            return
        conf = os.path.join(workdir, "mosquitto.conf")
        lines = [
            f"listener {self.port} 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            f"log_dest file {self.log}",
        ]
        if nodelay:
            lines.append("set_tcp_nodelay true")
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        # Started as root, mosquitto drops to user "mosquitto" before it opens
        # its log: let that user reach the log file.
        os.chmod(workdir, 0o755)
        open(self.log, "a").close()
        os.chmod(self.log, 0o666)
        self.stderr = os.path.join(workdir, "mosquitto.stderr")
        with open(self.stderr, "w") as err:
            self.proc = subprocess.Popen([exe, "-c", conf], stdin=subprocess.DEVNULL,
                                         stdout=err, stderr=err, start_new_session=True)
        try:
            self.wait_listening()
        except BaseException:
            self.stop()
            raise

    def wait_listening(self):
        deadline = time.monotonic() + 10
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start{self.log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} does not listen on port {self.port}")
                time.sleep(0.05)

    def cpu_seconds(self):
        """Total on-CPU time of the broker (all threads, user + kernel)."""
        with open(f"/proc/{self.proc.pid}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9

    def settle(self, quiet_s=0.2, max_s=15.0):
        """Wait until the broker has finished with what a client left it.

        A QoS 0 publisher is done once its bytes are in the socket; with loopback buffers of
        several MB the broker may still be reading them after the client has exited. Without
        this wait that backlog is charged to (and slows) whichever run comes next. Returns
        the broker's CPU seconds at the end: quiet = under 2 ms of CPU in `quiet_s`."""
        deadline = time.monotonic() + max_s
        last = self.cpu_seconds()
        while True:
            time.sleep(quiet_s)
            now = self.cpu_seconds()
            if now - last < 0.002 or time.monotonic() > deadline:
                return now
            last = now

    def check_alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} died (exit {self.proc.returncode}){self.log_tail()}")

    def log_tail(self):
        text = ""
        for path in (self.stderr, self.log):
            try:
                with open(path) as f:
                    text += f"\n--- {os.path.basename(path)} (tail) ---\n" + "".join(f.readlines()[-20:])
            except OSError:
                pass
        return text

    def sink_totals(self):
        """The sink's count of PUBLISH packets per QoS (its last stderr line, after stop())."""
        with open(self.stderr) as f:
            lines = [l for l in f.read().splitlines() if l.startswith("{")]
        totals = json.loads(lines[-1]) if lines else {}
        return [int(totals.get(f"qos{q}", -1)) for q in range(3)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_one(cmd, timeout):
    """Run one benchmark process in its own process group; return (json, error)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, f"timed out after {timeout} s"
    except BaseException:  # Ctrl-C: do not leave the client behind
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {err.decode().strip()}"
    lines = [l for l in out.decode().splitlines() if l.strip()]
    try:
        result = json.loads(lines[-1])
        for key in ("rate", "cpu_us_per_msg", "maxrss_kib"):
            float(result[key])
    except (IndexError, ValueError, KeyError, TypeError) as e:
        return None, f"bad output ({e!r}): {out.decode()[-500:]}"
    return result, None


def on_sigterm(signum, frame):
    """End like Ctrl-C, so that the finally blocks kill the broker and client."""
    raise KeyboardInterrupt


def fmt_ratio(value, ref):
    return f"{value / ref:.2f}×" if ref else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--impl", action="append", required=True, metavar="NAME=CMD",
                    help="implementation to run (repeat; the first is the reference)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--count", type=int, default=100000)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--inflight", type=int, default=20)
    ap.add_argument("--qos", default="0,1,2", help="comma-separated list")
    ap.add_argument("--timeout", type=float, default=150, help="per run, seconds")
    ap.add_argument("--broker-nodelay", action="store_true",
                    help="add 'set_tcp_nodelay true' to the broker (default: stock broker)")
    ap.add_argument("--mosquitto", default=MOSQUITTO)
    ap.add_argument("--sink", metavar="PATH",
                    help="publish to this bench_mqtt_sink instead of mosquitto: a peer that "
                         "acknowledges at once and routes nothing, so the publishers, not the "
                         "broker, set the rate")
    ap.add_argument("--json-out", help="write the raw JSON lines here")
    ap.add_argument("--compare", action="append", default=[], metavar="A:B",
                    help="also print the rate ratio of impl A to impl B per QoS (repeat)")
    args = ap.parse_args()

    impls = []
    for spec in args.impl:
        name, sep, cmd = spec.partition("=")
        if not sep or not name or not cmd.strip():
            ap.error(f"--impl wants NAME=CMD, got {spec!r}")
        impls.append((name, shlex.split(cmd)))
    qoses = [int(q) for q in args.qos.split(",")]
    if any(q not in (0, 1, 2) for q in qoses):
        ap.error("--qos takes 0, 1 and/or 2")

    signal.signal(signal.SIGTERM, on_sigterm)

    results = {}  # (name, qos) -> list of result dicts
    failures = []
    raw = []
    with tempfile.TemporaryDirectory(prefix="piogate-bench-") as workdir:
        broker = Broker(args.mosquitto, args.broker_nodelay, workdir, args.sink)
        try:
            for run in range(1, args.runs + 1):
                for qos in qoses:
                    for name, cmd in impls:
                        full = cmd + ["--host", "127.0.0.1", "--port", str(broker.port),
                                      "--qos", str(qos), "--count", str(args.count),
                                      "--size", str(args.size), "--inflight", str(args.inflight)]
                        cpu0 = broker.settle()
                        result, error = run_one(full, args.timeout)
                        broker_cpu = broker.settle() - cpu0
                        broker.check_alive()
                        if error:
                            failures.append(f"{name} QoS {qos} run {run}: {error}")
                            print(f"FAILED {failures[-1]}", file=sys.stderr)
                            continue
                        result["run"] = run
                        result["broker_cpu_us_per_msg"] = round(broker_cpu * 1e6 / args.count, 3)
                        results.setdefault((name, qos), []).append(result)
                        raw.append(result)
                        print(f"run {run} QoS {qos} {name}: {result['rate']:.0f} msgs/s, "
                              f"{result['cpu_us_per_msg']:.2f} µs/msg", file=sys.stderr)
        finally:
            broker.stop()
        if args.sink and not failures:
            # Every message every publisher said it sent reached the sink, none twice.
            got = broker.sink_totals()
            for qos in qoses:
                want = args.count * args.runs * len(impls)
                if got[qos] != want:
                    failures.append(f"the sink counted {got[qos]} QoS {qos} messages, "
                                    f"the publishers reported {want}")

    if args.json_out:
        with open(args.json_out, "w") as f:
            for r in raw:
                f.write(json.dumps(r) + "\n")

    def med(name, qos, key):
        rs = results.get((name, qos))
        return statistics.median(float(r[key]) for r in rs) if rs else None

    broker_kind = "set_tcp_nodelay true" if args.broker_nodelay else "stock settings"
    peer = "bench_mqtt_sink (acknowledges, routes nothing)" if args.sink else f"mosquitto ({broker_kind})"
    print(f"\n{peer}, {args.count} msgs of {args.size} B, "
          f"in-flight {args.inflight}, median of {args.runs} runs; "
          f"ratios vs {impls[0][0]}\n")
    print("| impl | QoS | msgs/s | client CPU µs/msg | peak RSS MiB "
          "| msgs/s vs ref | CPU vs ref | broker CPU µs/msg |")
    print("|---|---|---|---|---|---|---|---|")
    ref = impls[0][0]
    for qos in qoses:
        for name, _ in impls:
            rate = med(name, qos, "rate")
            if rate is None:
                print(f"| {name} | {qos} | FAILED | | | | | |")
                continue
            cpu = med(name, qos, "cpu_us_per_msg")
            rss = med(name, qos, "maxrss_kib") / 1024
            bcpu = med(name, qos, "broker_cpu_us_per_msg")
            ref_rate = med(ref, qos, "rate")
            ref_cpu = med(ref, qos, "cpu_us_per_msg")
            print(f"| {name} | {qos} | {rate:,.0f} | {cpu:.2f} | {rss:.1f} "
                  f"| {fmt_ratio(rate, ref_rate)} | {fmt_ratio(cpu, ref_cpu)} | {bcpu:.2f} |")
    if args.compare:
        print("\n| rate ratio | " + " | ".join(f"QoS {q}" for q in qoses) + " |")
        print("|---|" + "---|" * len(qoses))
        for spec in args.compare:
            a, _, b = spec.partition(":")
            cells = []
            for qos in qoses:
                ra, rb = med(a, qos, "rate"), med(b, qos, "rate")
                cells.append(fmt_ratio(ra, rb) if ra and rb else "–")
            print(f"| {a} vs {b} | " + " | ".join(cells) + " |")
    if failures:
        print("\nFailures:\n" + "\n".join(f"- {f}" for f in failures))
        return 1
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
