#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Both faces of piogate::mqtt against libmosquitto (single-thread loop and loop_start) and
# python3-paho-mqtt's loop_start, one broker, interleaved, medians of 3 (the README's table).
# Usage: bench/run_both_faces.sh [BUILD_DIR] [more run_publish_bench.py options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-build}"
shift || true
exec /usr/bin/python3 "$here/run_publish_bench.py" \
    --impl libmosquitto="$build/bench/bench_pub_libmosquitto" \
    --impl piogate="$build/bench/bench_pub_piogate" \
    --impl libmosquitto-thread="$build/bench/bench_pub_libmosquitto --threaded" \
    --impl piogate-thread="$build/bench/bench_pub_piogate --threaded" \
    --impl paho-thread="$here/paho_pub_bench.py" \
    --compare piogate:libmosquitto \
    --compare piogate-thread:libmosquitto-thread \
    --compare piogate-thread:paho-thread "$@"
