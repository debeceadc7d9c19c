#!/usr/bin/env bash
# Runs clink's micro-benchmark suites from the shaded jar and writes JMH JSON (and the console text) under
# target/results/. Usage: run.sh quick|full [match|churn|heap|codec ...]   (default: every suite)
#   quick  1 fork, 2 x 1 s warmup, 5 x 1 s measurement: indicative, under 15 minutes on 2 cores
#   full   2 forks, 5 x 2 s warmup, 10 x 2 s measurement: the figures to publish
# Build the jar first: mvn -B -pl clink-benchmarks -am package -DskipTests (from the repository root).
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  echo "usage: $0 quick|full [match|churn|heap|codec ...]" >&2
  exit 2
}

mode="${1:-}"
case "$mode" in
  quick) jmh_opts=(-f 1 -wi 2 -w 1s -i 5 -r 1s) ;;
  full) jmh_opts=(-f 2 -wi 5 -w 2s -i 10 -r 2s) ;;
  *) usage ;;
esac
shift
suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
  suites=(match churn heap codec)
fi

java="${JAVA:-java}"
jar=target/benchmarks.jar
if [ ! -f "$jar" ]; then
  echo "$jar is missing: run 'mvn -B -pl clink-benchmarks -am package -DskipTests' from the repository root" >&2
  exit 2
fi
out=target/results
mkdir -p "$out"

# What the figures depend on, next to them.
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "mode: $mode"
  echo "jdk: $("$java" -version 2>&1 | head -n 2 | tr '\n' ' ')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/env-$mode.txt"
cat "$out/env-$mode.txt"

jmh() {
  local name="$1"
  shift
  echo "== $name ($mode)"
  "$java" -jar "$jar" "$@" "${jmh_opts[@]}" -prof gc -rf json -rff "$out/$name-$mode.json" 2>&1 \
    | grep -v '^SLF4J' | tee "$out/$name-$mode.txt"
}

for suite in "${suites[@]}"; do
  case "$suite" in
    match) jmh match 'RouteMatchBenchmark' ;;
    churn) jmh churn 'RouteChurnBenchmark' ;;
    codec) jmh codec 'CodecBenchmark' ;;
    heap)
      echo "== heap per route at 1,000,000 routes ($mode)"
      # One JVM per implementation, serial GC so "used after GC" is exact.
      header=-Dheap.header
      for impl in clink naive moquette hivemq; do
        "$java" -XX:+UseSerialGC -Xms8g -Xmx8g $header -cp "$jar" io.clink.benchmarks.HeapPerRoute 1000000 "$impl" \
          2>&1 | grep -v '^SLF4J'
        header=
      done | tee "$out/heap-$mode.txt"
      ;;
    *) usage ;;
  esac
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env-$mode.txt"
# Markdown tables with clink's ratios, from whichever suites have results.
"$java" -cp "$jar" io.clink.benchmarks.Summary "$out" "$mode" | tee "$out/summary-$mode.md"
