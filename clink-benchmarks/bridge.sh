#!/usr/bin/env bash
# The `bridge` suite: the same command-line clients (seq-numbered, time-stamped lines into `mosquitto_pub -l`, and
# `mosquitto_sub`) against a clink-broker pair from examples/ and a Mosquitto pair joined by a bridge
# (`topic bench/# out 1`), N messages at QoS 1 and QoS 0, on one broker (local) and from one broker to the other
# (link); then the link rows again with the two brokers of each pair pinned to separate cores (taskset -c 0 / -c 1).
# Usage: bridge.sh OUT_DIR N   (called by run.sh; needs clink-broker/target/clink-broker.jar and target/benchmarks.jar)
# Ports: BRIDGE_PORT_BASE (default 41800) .. +9, on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")"

out="$1"
n="$2"
java="${JAVA:-java}"
jar=target/benchmarks.jar
broker_jar="$(pwd)/../clink-broker/target/clink-broker.jar"
mosquitto="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
base="${BRIDGE_PORT_BASE:-41800}"
deadline_s=120   # per row: the burst must arrive within this
stall_s=10       # per row: stop waiting once nothing arrived for this long after the publisher finished

for tool in "$mosquitto" mosquitto_pub mosquitto_sub taskset; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bridge: $tool is missing" >&2; exit 2; }
done
[ -f "$broker_jar" ] || { echo "bridge: $broker_jar is missing: mvn -B -pl clink-broker,clink-benchmarks -am package -DskipTests" >&2; exit 2; }

work="$(mktemp -d)"
rows="$out/bridge-rows"
rm -rf "$rows"
mkdir -p "$rows"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 90); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
  done
  pids=()
}
trap 'cleanup; rm -rf "$work"' EXIT

# Ports: Mosquitto A, B; clink us (mqtt, link, api), eu (mqtt, link, api).
mq_a=$base; mq_b=$((base + 1))
us_mqtt=$((base + 2)); us_link=$((base + 3)); us_api=$((base + 4))
eu_mqtt=$((base + 5)); eu_link=$((base + 6)); eu_api=$((base + 7))

wait_port() {
  for _ in $(seq 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "bridge: nothing listens on port $1" >&2
  exit 1
}

# $1 = taskset cpu list or "" for none
start_mosquitto() {
  local pin=(); [ -n "$1" ] && pin=(taskset -c 1)
  cat > "$work/b.conf" <<EOF
listener $mq_b 127.0.0.1
allow_anonymous true
EOF
  cat > "$work/a.conf" <<EOF
listener $mq_a 127.0.0.1
allow_anonymous true
connection bench-bridge
address 127.0.0.1:$mq_b
topic bench/# out 1
EOF
  "${pin[@]}" "$mosquitto" -c "$work/b.conf" > "$work/mosquitto-b.log" 2>&1 & pids+=($!)
  [ -n "$1" ] && pin=(taskset -c 0)
  "${pin[@]}" "$mosquitto" -c "$work/a.conf" > "$work/mosquitto-a.log" 2>&1 & pids+=($!)
  wait_port "$mq_a"; wait_port "$mq_b"
}

start_clink() {
  local pin=(); [ -n "$1" ] && pin=(taskset -c 0)
  sed -e "s/:1883\"/:$us_mqtt\"/; s/:11883\"/:$us_link\"/; s/:11884\"/:$eu_link\"/; s/:18083\"/:$us_api\"/" \
    ../examples/cluster-us-east.conf > "$work/us.conf"
  sed -e "s/:1884\"/:$eu_mqtt\"/; s/:11884\"/:$eu_link\"/; s/:11883\"/:$us_link\"/; s/:18084\"/:$eu_api\"/" \
    ../examples/cluster-eu-west.conf > "$work/eu.conf"
  (cd "$work" && exec "${pin[@]}" "$java" -jar "$broker_jar" --config us.conf > clink-us.log 2>&1) & pids+=($!)
  [ -n "$1" ] && pin=(taskset -c 1)
  (cd "$work" && exec "${pin[@]}" "$java" -jar "$broker_jar" --config eu.conf > clink-eu.log 2>&1) & pids+=($!)
  wait_port "$us_mqtt"; wait_port "$eu_mqtt"
}

# One row: $1 broker (clink|mosquitto), $2 row name, $3 publish port, $4 subscribe port, $5 qos
burst() {
  local broker=$1 name=$2 pub=$3 sub=$4 qos=$5
  local file="$rows/$broker-$name.txt"
  : > "$file"
  mosquitto_sub -h 127.0.0.1 -p "$sub" -q "$qos" -t 'bench/#' -F '%U %p' -i "bench-sub-$$" > "$file" 2>/dev/null &
  local sub_pid=$!
  # Until a probe arrives: the subscription is in place and, across the link, its route has replicated.
  local probed=0
  for _ in $(seq 120); do
    mosquitto_pub -h 127.0.0.1 -p "$pub" -q 1 -t bench/probe -m probe 2>/dev/null || true
    sleep 0.5
    if grep -q ' probe$' "$file"; then probed=1; break; fi
  done
  [ "$probed" = 1 ] || echo "bridge: $broker $name: the probe never arrived" >&2
  "$java" -cp "$jar" io.clink.benchmarks.Bridge stamp "$n" "$rows/$broker-$name.start" \
    | mosquitto_pub -h 127.0.0.1 -p "$pub" -q "$qos" -t bench/burst -l -i "bench-pub-$$" &
  local pub_pid=$!
  local t0=$SECONDS last=-1 still=0 got
  while [ $((SECONDS - t0)) -lt "$deadline_s" ]; do
    sleep 1
    got=$(grep -cv ' probe$' "$file" || true)
    [ "$got" -ge "$n" ] && break
    if kill -0 "$pub_pid" 2>/dev/null || [ "$got" != "$last" ]; then still=0; else still=$((still + 1)); fi
    [ "$still" -ge "$stall_s" ] && break
    last=$got
  done
  kill "$pub_pid" 2>/dev/null || true
  kill "$sub_pid" 2>/dev/null || true
  wait "$sub_pid" 2>/dev/null || true
  echo "$broker $name: $(grep -cv ' probe$' "$file" || true) of $n"
}

# Warm-up after each start, unrecorded: BRIDGE_WARMUP_ROUNDS (default 3) rounds of a local QoS 1 burst and a link
# QoS 1 and QoS 0 burst. A broker in production is warm; a JVM broker needs the JIT to have compiled the paths a row
# measures, the forwarding path included (on 2 cores the compiler itself competes with the brokers for the CPU: the
# first forwarded burst after a start runs at a fraction of the warm rate). Mosquitto gets the same sequence.
warm_up() {  # $1 broker, $2 local port, $3 remote port
  local r
  for r in $(seq "${BRIDGE_WARMUP_ROUNDS:-3}"); do
    burst "$1" warmup-local "$2" "$2" 1 > /dev/null
    burst "$1" warmup-link "$2" "$3" 1 > /dev/null
    burst "$1" warmup-link0 "$2" "$3" 0 > /dev/null
  done
  rm -f "$rows/$1"-warmup-*
}

# The first forwarded QoS 1 burst after a start, recorded as its own row: what an operator trying the pair sees first.
cold() {  # $1 broker, $2 local port, $3 remote port, $4 suffix
  burst "$1" "link-qos1-cold$4" "$2" "$3" 1
}

rows_for() {  # $1 broker, $2 local port, $3 remote port, $4 suffix
  burst "$1" "local-qos1$4" "$2" "$2" 1
  burst "$1" "local-qos0$4" "$2" "$2" 0
  burst "$1" "link-qos1$4" "$2" "$3" 1
  burst "$1" "link-qos0$4" "$2" "$3" 0
}

echo "== bridge: $n messages per row"
start_mosquitto ""
cold mosquitto "$mq_a" "$mq_b" ""
warm_up mosquitto "$mq_a" "$mq_b"
rows_for mosquitto "$mq_a" "$mq_b" ""
cleanup
start_clink ""
cold clink "$us_mqtt" "$eu_mqtt" ""
warm_up clink "$us_mqtt" "$eu_mqtt"
rows_for clink "$us_mqtt" "$eu_mqtt" ""
cleanup

echo "== bridge: link rows with the brokers pinned (taskset -c 0 / -c 1)"
start_mosquitto pin
warm_up mosquitto "$mq_a" "$mq_b"
burst mosquitto link-qos1-pinned "$mq_a" "$mq_b" 1
burst mosquitto link-qos0-pinned "$mq_a" "$mq_b" 0
cleanup
start_clink pin
warm_up clink "$us_mqtt" "$eu_mqtt"
burst clink link-qos1-pinned "$us_mqtt" "$eu_mqtt" 1
burst clink link-qos0-pinned "$us_mqtt" "$eu_mqtt" 0
cleanup

"$java" -cp "$jar" io.clink.benchmarks.Bridge report "$rows" "$n" | tee "$out/bridge.md"
