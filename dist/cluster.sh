#!/usr/bin/env bash
# ./hotpochato cluster [server options]: a local HotPochato cluster to try cluster mode on one machine.
# Starts a redis-server on 127.0.0.1:${HOTPOCHATO_REDIS_PORT:-6390} (append-only file, fsync on every
# write, in ${HOTPOCHATO_CLUSTER_DIR:-/tmp/hotpochato-cluster}) and three server nodes sharing it,
# on 127.0.0.1 ports ${HOTPOCHATO_CLUSTER_PORT:-7447} and the two after it (web pages from
# ${HOTPOCHATO_CLUSTER_HTTP_PORT:-7480}). Options are given to every node. Ctrl-C stops them all.
# See docs/cluster.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
redis_port="${HOTPOCHATO_REDIS_PORT:-6390}"
dir="${HOTPOCHATO_CLUSTER_DIR:-/tmp/hotpochato-cluster}"
port="${HOTPOCHATO_CLUSTER_PORT:-7447}"
http_port="${HOTPOCHATO_CLUSTER_HTTP_PORT:-7480}"

if ! command -v redis-server >/dev/null 2>&1; then
    echo "hotpochato cluster: redis-server is not installed (Debian: apt-get install redis-server)" >&2
    exit 1
fi
mkdir -p "$dir"

redis_pid=""
pids=()
stop() {
    trap - INT TERM EXIT
    local pid
    # The nodes first (their members leave their rooms through Redis), then Redis.
    for pid in ${pids[@]+"${pids[@]}"}; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in ${pids[@]+"${pids[@]}"}; do
        wait "$pid" 2>/dev/null || true
    done
    if [ -n "$redis_pid" ]; then
        kill "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
    fi
}
trap stop INT TERM EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save '' \
    --appendonly yes --appendfsync always --logfile "$dir/redis.log" &
redis_pid=$!
for _ in $(seq 1 100); do
    if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then break; fi
    sleep 0.1
done
if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    echo "hotpochato cluster: redis-server did not start on port $redis_port (see $dir/redis.log)" >&2
    exit 1
fi
echo "hotpochato cluster: Redis on 127.0.0.1:$redis_port (append-only, fsync always, in $dir)" >&2

# Build once, before three launchers would each look.
HOTPOCHATO_LAUNCHER_DRY_RUN= "$root/hotpochato" server --version >/dev/null

for i in 0 1 2; do
    # The launcher execs java, so $! is the node itself; its lines are prefixed by a sed of its own.
    "$root/hotpochato" server --no-console --bind 127.0.0.1 --port $((port + i)) --http-port $((http_port + i)) \
        --cluster "redis://127.0.0.1:$redis_port" "$@" > >(sed -u "s/^/[node $((i + 1))] /") 2>&1 &
    pids+=($!)
done
echo "hotpochato cluster: nodes on 127.0.0.1:$port, :$((port + 1)), :$((port + 2)); try" \
    "./hotpochato client --host 127.0.0.1:$((port + 1)),127.0.0.1:$port --name bob" >&2
wait -n || true
