#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs each libFuzzer target for a bounded time, starting from the seed corpus in corpus/<name>.
#
#   tests/fuzz/run_fuzz.sh [seconds] [fuzzer...]     seconds per fuzzer (default 60),
#                                                    fuzzers default to all of them
# Environment:
#   PIOGATE_FUZZ_BIN_DIR  directory holding the fuzz_* binaries (default: build-fuzz/tests/fuzz
#                         under the repository, configured and built with clang when missing)
#
# Inputs that add coverage are kept in <bin dir>/corpus/<fuzzer> between runs (the seeds in the
# repository are never written); a crash reproducer lands in <bin dir>/artifacts/<fuzzer>/ and
# the full log in <bin dir>/<fuzzer>.log. Exits 1 when any fuzzer found a crash, leak, timeout
# or sanitizer report, 2 on a usage error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: $0 [seconds>=1] [fuzzer...]" >&2
  exit 2  # libFuzzer reads -max_total_time=0 as "forever"
fi
shift $(($# > 0 ? 1 : 0))
fuzzers=("$@")
((${#fuzzers[@]})) || fuzzers=(fuzz_decode fuzz_session fuzz_websocket)

bin_dir=${PIOGATE_FUZZ_BIN_DIR:-}
if [[ -z $bin_dir ]]; then
  build=$repo/build-fuzz
  bin_dir=$build/tests/fuzz
  if [[ ! -f $build/build.ninja ]]; then
    CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja \
      -DPIOGATE_BUILD_FUZZ=ON -DPIOGATE_BUILD_TESTS=ON >/dev/null
  fi
  ninja -C "$build" -j2 "${fuzzers[@]}" >/dev/null
fi

# UBSan only reports and carries on unless told to stop; a report must fail the run.
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}

status=0
for f in "${fuzzers[@]}"; do
  exe=$bin_dir/$f
  seeds=$here/corpus/${f#fuzz_}
  if [[ ! -x $exe ]]; then
    echo "$f: no binary at $exe" >&2
    exit 2
  fi
  mkdir -p "$bin_dir/corpus/$f" "$bin_dir/artifacts/$f"
  log=$bin_dir/$f.log
  echo "== $f: ${seconds} s, seeds $seeds"
  if "$exe" -max_len=4096 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
      -print_final_stats=1 -artifact_prefix="$bin_dir/artifacts/$f/" \
      "$bin_dir/corpus/$f" "$seeds" >"$log" 2>&1; then
    # The last status line (execs, coverage, corpus) and the final stats.
    grep -E '^#[0-9]+.*(cov|DONE)' "$log" | tail -n 1 || true
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
  else
    status=1
    echo "$f: FAILED; reproducer(s) in $bin_dir/artifacts/$f/, log $log" >&2
    tail -n 60 "$log" >&2
  fi
done
exit "$status"
