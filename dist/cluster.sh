#!/usr/bin/env bash
# ./hotpochato cluster [server options]: a local HotPochato cluster to try cluster mode on one machine.
# Starts a redis-server on 127.0.0.1:6390 (append-only file, fsync on every write, in
# /tmp/hotpochato-cluster) and three server nodes sharing it, on 127.0.0.1 ports 7447, 7448, 7449
# (web pages on 7480, 7481, 7482). HOTPOCHATO_REDIS_PORT, HOTPOCHATO_CLUSTER_DIR, HOTPOCHATO_CLUSTER_PORT
# and HOTPOCHATO_CLUSTER_HTTP_PORT change them (the first port of each kind; the others follow).
# Options are given to every node, except --admin-port PORT (or HOTPOCHATO_ADMIN_PORT): node 1 gets
# PORT, nodes 2 and 3 the two after it. Ctrl-C stops them all and exits 0; if something fails (a port
# in use, Redis or a node not starting or stopping) it says why in one line and exits 1.
# See docs/cluster.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
redis_port="${HOTPOCHATO_REDIS_PORT:-6390}"
dir="${HOTPOCHATO_CLUSTER_DIR:-/tmp/hotpochato-cluster}"
port="${HOTPOCHATO_CLUSTER_PORT:-7447}"
http_port="${HOTPOCHATO_CLUSTER_HTTP_PORT:-7480}"

fail() {
    echo "hotpochato cluster: $*" >&2
    exit 1
}

# Only help: nothing is started.
for arg in "$@"; do
    case "$arg" in
        -h|--help)
            sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            echo "Server options: ./hotpochato server --help"
            exit 0 ;;
    esac
done

# Every node gets its own admin port: PORT, PORT + 1, PORT + 2 (0 lets each pick a free one).
admin_port="${HOTPOCHATO_ADMIN_PORT:-}"
node_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --admin-port) [ $# -ge 2 ] || fail "--admin-port needs a value"; admin_port="$2"; shift 2 ;;
        --admin-port=*) admin_port="${1#--admin-port=}"; shift ;;
        *) node_args+=("$1"); shift ;;
    esac
done
if [ -n "$admin_port" ] && ! [[ "$admin_port" =~ ^[0-9]+$ ]]; then
    fail "--admin-port: '$admin_port' is not a port number"
fi

# A port something already listens on, on 127.0.0.1.
in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

ports_needed=("$redis_port:Redis (HOTPOCHATO_REDIS_PORT)")
for i in 0 1 2; do
    ports_needed+=("$((port + i)):node $((i + 1)) (HOTPOCHATO_CLUSTER_PORT)")
    ports_needed+=("$((http_port + i)):node $((i + 1))'s web page (HOTPOCHATO_CLUSTER_HTTP_PORT)")
    if [ -n "$admin_port" ] && [ "$admin_port" != 0 ]; then
        ports_needed+=("$((admin_port + i)):node $((i + 1))'s admin port (--admin-port)")
    fi
done
for entry in "${ports_needed[@]}"; do
    if in_use "${entry%%:*}"; then
        fail "port ${entry%%:*} on 127.0.0.1, for ${entry#*:}, is already in use (another cluster still running?)"
    fi
done

node_command() { # node index 0..2: sets cmd to the launcher's command line for that node
    local i="$1"
    cmd=("$root/hotpochato" server --no-console --bind 127.0.0.1 --port $((port + i)) --http-port $((http_port + i)))
    if [ -n "$admin_port" ]; then
        cmd+=(--admin-port "$([ "$admin_port" = 0 ] && echo 0 || echo $((admin_port + i)))")
    fi
    cmd+=(--cluster "redis://127.0.0.1:$redis_port" ${node_args[@]+"${node_args[@]}"})
}

if [ -n "${HOTPOCHATO_LAUNCHER_DRY_RUN:-}" ]; then
    # For tests: say what each node would run, and start nothing.
    for i in 0 1 2; do node_command "$i"; echo "${cmd[*]}"; done
    exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
    fail "redis-server is not installed (Debian: apt-get install redis-server)"
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
trap stop EXIT
trap 'stop; exit 0' INT TERM

redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save '' \
    --appendonly yes --appendfsync always --logfile "$dir/redis.log" &
redis_pid=$!
for _ in $(seq 1 100); do
    if ! kill -0 "$redis_pid" 2>/dev/null; then break; fi
    if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then break; fi
    sleep 0.1
done
# Our redis-server must be the one answering: a ping answered by another leaves ours exited.
if ! kill -0 "$redis_pid" 2>/dev/null || ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    fail "redis-server did not start on port $redis_port (see $dir/redis.log)"
fi
echo "hotpochato cluster: Redis on 127.0.0.1:$redis_port (append-only, fsync always, in $dir)" >&2

# Build once, before three launchers would each look.
HOTPOCHATO_LAUNCHER_DRY_RUN= "$root/hotpochato" server --version >/dev/null \
    || fail "the server could not be built (see the lines above)"

names=()
for i in 0 1 2; do
    # The launcher execs java, so $! is the node itself; its lines are prefixed by a sed of its own.
    node_command "$i"
    "${cmd[@]}" > >(sed -u "s/^/[node $((i + 1))] /") 2>&1 &
    pids+=($!)
    names[$!]="node $((i + 1))"
done
names[$redis_pid]="Redis"
admin_note=""
if [ -n "$admin_port" ] && [ "$admin_port" != 0 ]; then
    admin_note=" (admin on :$admin_port, :$((admin_port + 1)), :$((admin_port + 2)))"
fi
echo "hotpochato cluster: nodes on 127.0.0.1:$port, :$((port + 1)), :$((port + 2))$admin_note; try" \
    "./hotpochato client --host 127.0.0.1:$((port + 1)),127.0.0.1:$port --name bob" >&2

# Runs until Ctrl-C (the trap exits 0), until Redis stops, or until no node is left. A node that
# stops (killed to watch its clients resume on the others, say) is reported and the others go on.
running=("${pids[@]}")
while :; do
    status=0
    exited=
    wait -n -p exited "$redis_pid" "${running[@]}" || status=$?
    what="${names[${exited:-0}]:-a process}"
    if [ "$what" = Redis ]; then
        fail "Redis stopped (status $status, see $dir/redis.log); stopping the nodes"
    fi
    left=()
    for p in "${running[@]}"; do
        if [ "$p" != "$exited" ]; then left+=("$p"); fi
    done
    running=("${left[@]}")
    if [ "${#running[@]}" -eq 0 ]; then
        fail "$what stopped (status $status, see its lines above), and no node is left; stopping Redis"
    fi
    echo "hotpochato cluster: $what stopped (status $status, see its lines above);" \
        "${#running[@]} node(s) go on, and its clients resume on them" >&2
done
