#!/usr/bin/env bash
# Runs clink's benchmark suites from the shaded jar and writes JMH JSON (and the console text) under
# target/results/. Usage: run.sh quick|full [match|churn|store|storeprop|heap|codec|forward|propagation|bootstrap|e2e|bridge ...]
# (default: every suite but bridge; e2e = forward propagation bootstrap, the end-to-end suites through two linked
# brokers; bridge = clink-broker pair against a Mosquitto bridge pair with mosquitto_pub/mosquitto_sub, see bridge.sh:
# 20,000 messages per row in quick mode, 100,000 in full; installs Mosquitto from Debian if missing, as .ci/run does)
#   quick  1 fork, 2 x 1 s warmup, 5 x 1 s measurement: indicative, under 15 minutes on 2 cores
#          (end to end: 1 x 2 s warmup, 4 x 2 s measurement; bootstrap 1 + 5 single shots)
#   full   2 forks, 5 x 2 s warmup, 10 x 2 s measurement: the figures to publish
#          (end to end: 2 forks, 2 x 3 s warmup, 10 x 3 s measurement; bootstrap 2 + 10 single shots per fork)
# Build the jar first: mvn -B -pl clink-benchmarks -am package -DskipTests (from the repository root); bridge also
# needs clink-broker/target/clink-broker.jar, which that command builds too.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
  echo "usage: $0 quick|full [match|churn|store|storeprop|heap|codec|forward|propagation|bootstrap|e2e|bridge ...]" >&2
  exit 2
}

mode="${1:-}"
case "$mode" in
  quick)
    jmh_opts=(-f 1 -wi 2 -w 1s -i 5 -r 1s)
    e2e_opts=(-f 1 -wi 1 -w 2s -i 4 -r 2s)
    bootstrap_opts=(-f 1 -wi 1 -i 5)
    bridge_n=20000
    ;;
  full)
    jmh_opts=(-f 2 -wi 5 -w 2s -i 10 -r 2s)
    e2e_opts=(-f 2 -wi 2 -w 3s -i 10 -r 3s)
    bootstrap_opts=(-f 2 -wi 2 -i 10)
    bridge_n=100000
    ;;
  *) usage ;;
esac
shift
suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
  suites=(match churn store heap codec e2e)
fi
expanded=()
for suite in "${suites[@]}"; do
  if [ "$suite" = e2e ]; then
    expanded+=(forward propagation bootstrap)
  else
    expanded+=("$suite")
  fi
done
suites=("${expanded[@]}")

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

# The end-to-end suites: two embedded brokers per fork, no allocation profile (it would count the brokers' work).
e2e() {
  local name="$1"
  shift
  echo "== $name ($mode)"
  "$java" -jar "$jar" "$@" -rf json -rff "$out/$name-$mode.json" 2>&1 \
    | grep -v '^SLF4J' | tee "$out/$name-$mode.txt"
}

# The bridge suite's Mosquitto broker and command-line clients, from Debian as .ci/run installs them.
for suite in "${suites[@]}"; do
  if [ "$suite" = bridge ]; then
    need=()
    command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
    command -v mosquitto_sub >/dev/null 2>&1 || need+=(mosquitto-clients)
    if [ ${#need[@]} -gt 0 ]; then
      SUDO=""
      if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
      export DEBIAN_FRONTEND=noninteractive
      $SUDO apt-get update -q
      $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
    fi
  fi
done

for suite in "${suites[@]}"; do
  case "$suite" in
    match) jmh match 'RouteMatchBenchmark' ;;
    churn) jmh churn 'RouteChurnBenchmark' ;;
    store) jmh store 'StoreChurnBenchmark' ;;
    storeprop) e2e storeprop 'StorePropagationBenchmark' ;;
    codec) jmh codec 'CodecBenchmark' ;;
    forward) e2e forward 'E2eForwardBenchmark' "${e2e_opts[@]}" ;;
    propagation) e2e propagation 'E2eRoutePropagationBenchmark' "${e2e_opts[@]}" ;;
    bootstrap) e2e bootstrap 'E2eBootstrapBenchmark' "${bootstrap_opts[@]}" ;;
    bridge)
      echo "== bridge ($mode)"
      ./bridge.sh "$out" "$bridge_n" 2>&1 | tee "$out/bridge-$mode.txt"
      ;;
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
