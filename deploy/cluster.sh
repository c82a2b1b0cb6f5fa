#!/usr/bin/env bash
# The platform beyond one machine, on this one: a 3-node RabbitMQ cluster and a PostgreSQL primary with a streaming hot
# standby, real processes on loopback ports of their own, next to (never touching) deploy/infra.sh's single-node pair.
#   deploy/cluster.sh up              start (or complete) the cluster; safe to run again
#   deploy/cluster.sh down            stop every process of it and delete its data (deploy/.cluster/)
#   deploy/cluster.sh status          nodes, queues with their type and leader, which PostgreSQL is primary, replication
#   deploy/cluster.sh env             the settings that point the services at it (eval "$(deploy/cluster.sh env)")
#   deploy/cluster.sh test            up, then the cluster test (tests/Integration.Tests, Category=Cluster)
#   deploy/cluster.sh leaders         every queue: name, type, leader node
#   deploy/cluster.sh kill-rabbit N   kill -9 RabbitMQ node N (1-3)      start-rabbit N   start it again
#   deploy/cluster.sh failover        stop the PostgreSQL primary, promote the standby (the next `up` makes a new standby)
#   deploy/cluster.sh crash-loss      pgbench commits while the primary is killed (-9), the standby promoted: how many
#                                     acknowledged commits the promoted standby lacks (CLUSTER_PG_SYNC=off to see async)
#   deploy/cluster.sh benchmark [single] [ARGS]   tests/Benchmarks' freshness run against Assessment and Timeline on
#                                     :5501/:5502, on the cluster (or, with "single", on the single-node brokers of
#                                     deploy/infra.sh, in the database and vhost the environment names), e.g. --patients 100
# Settings: CLUSTER_PG_SYNC=on|off (default on: synchronous replication, docs/operations.md "Beyond one machine").
# Run as root (it runs the brokers as the rabbitmq and postgres users). Loopback only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=$ROOT/deploy/.cluster
NAME=recovery                                    # vhost, role and user; password = name
SERVICES=(assessment detox counseling relapse timeline)
PG_PORTS=(5442 5443)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
RABBIT_BIN=/usr/lib/rabbitmq/bin
PG_SYNC=${CLUSTER_PG_SYNC:-on}

log() { printf '[cluster] %s\n' "$*"; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() {  # wait_for <seconds> <command...>
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do ((SECONDS < deadline)) || return 1; sleep 0.3; done
}

# ------------------------------------------------------------------ RabbitMQ
# Node N: cluster<N>@localhost, AMQP 5680+N, Erlang distribution 25680+N, its own data, config and cookie (HOME) under
# deploy/.cluster/; no management plugin. The shared epmd (loopback) only maps names to ports.
node_name() { echo "cluster$1@localhost"; }
amqp_port() { echo $((5680 + $1)); }
rabbit_env() {
  local n=$1 d=$DIR/rabbit-$1
  echo HOME="$DIR/rabbit-home" RABBITMQ_NODENAME="$(node_name "$n")" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$(amqp_port "$n")" RABBITMQ_DIST_PORT=$((25680 + n)) \
    RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_PID_FILE="$d/pid" \
    RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" \
    ERL_EPMD_ADDRESS=127.0.0.1
}
# As the rabbitmq user with node N's environment; the Erlang arguments keep distribution on loopback.
as_rabbit() {
  local n=$1; shift
  # shellcheck disable=SC2046
  runuser -u rabbitmq -- env $(rabbit_env "$n") \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" "$@"
}
CLI_TIMEOUT=${CLUSTER_CLI_TIMEOUT:-60}
ctl() { local n=$1; shift; as_rabbit "$n" timeout "$CLI_TIMEOUT" "$RABBIT_BIN/rabbitmqctl" -q -n "$(node_name "$n")" "$@"; }
rabbit_pid() { local f=$DIR/rabbit-$1/pid; [[ -s $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

rabbit_prepare() {
  mkdir -p "$DIR/rabbit-home"
  if [[ ! -s $DIR/rabbit-home/.erlang.cookie ]]; then
    ( umask 077; openssl rand -hex 20 >"$DIR/rabbit-home/.erlang.cookie" )
  fi
  chmod 400 "$DIR/rabbit-home/.erlang.cookie"
  local n d
  for n in 1 2 3; do
    d=$DIR/rabbit-$n
    mkdir -p "$d/mnesia" "$d/log"
    # pause_minority: a node cut off from the other two stops serving instead of diverging.
    printf '%s\n' "listeners.tcp.default = 127.0.0.1:$(amqp_port "$n")" "cluster_partition_handling = pause_minority" \
      "loopback_users = none" >"$d/rabbitmq.conf"
    echo "[]." >"$d/enabled_plugins"
    echo "[]." >"$d/advanced.config"
    : >"$d/rabbitmq-env.conf"
  done
  chown -R rabbitmq:rabbitmq "$DIR/rabbit-home" "$DIR"/rabbit-[123]
}

rabbit_start() {  # rabbit_start N: start node N if it is not running, and wait for its AMQP port
  local n=$1
  if ! rabbit_pid "$n" >/dev/null; then
    port_open "$(amqp_port "$n")" && die "127.0.0.1:$(amqp_port "$n") is taken, but node $n of this cluster is not running"
    log "starting RabbitMQ node $(node_name "$n") on 127.0.0.1:$(amqp_port "$n")"
    # setsid: the node outlives the caller (a test process); output to its own file, not the caller's pipes.
    setsid bash -c "$(declare -f as_rabbit rabbit_env node_name amqp_port); DIR='$DIR'; as_rabbit $n $RABBIT_BIN/rabbitmq-server" \
      </dev/null >"$DIR/rabbit-$n/log/console.log" 2>&1 &
  fi
  wait_for 120 port_open "$(amqp_port "$n")" || die "node $n does not listen; see $DIR/rabbit-$n/log/"
  ctl "$n" await_startup >/dev/null
}

rabbit_up() {
  rabbit_prepare
  rabbit_start 1
  local n
  for n in 2 3; do
    rabbit_start "$n"
    if [[ ! -e $DIR/rabbit-$n/joined ]]; then
      log "joining $(node_name "$n") to $(node_name 1)"
      ctl "$n" stop_app
      ctl "$n" join_cluster "$(node_name 1)"
      ctl "$n" start_app
      touch "$DIR/rabbit-$n/joined"
    fi
  done
  if ! ctl 1 -s list_permissions -p "$NAME" 2>/dev/null | grep -P "^$NAME\t" >/dev/null; then
    log "creating vhost and user $NAME"
    ctl 1 -s list_vhosts | grep -x "$NAME" >/dev/null || ctl 1 add_vhost "$NAME"
    ctl 1 -s list_users | grep -P "^$NAME\t" >/dev/null || ctl 1 add_user "$NAME" "$NAME"
    ctl 1 set_permissions -p "$NAME" "$NAME" '.*' '.*' '.*'
  fi
}

rabbit_kill() {  # a crash: no shutdown, the other nodes see it go
  local pid
  pid=$(rabbit_pid "$1") || { log "node $1 is not running"; return 0; }
  log "kill -9 RabbitMQ node $(node_name "$1") (pid $pid)"
  kill -9 "$pid"
  wait_for 30 eval "! kill -0 $pid 2>/dev/null" || die "node $1 (pid $pid) did not die"
}

rabbit_down() {
  local n pid
  for n in 3 2 1; do
    pid=$(rabbit_pid "$n") || continue
    log "stopping RabbitMQ node $(node_name "$n")"
    ctl "$n" stop >/dev/null 2>&1 || kill -9 "$pid" 2>/dev/null || true
    wait_for 60 eval "! kill -0 $pid 2>/dev/null" || { kill -9 "$pid" 2>/dev/null || true; }
  done
}

# ---------------------------------------------------------------- PostgreSQL
# Two servers of Debian's PostgreSQL (pg_ctl on data folders of our own, not pg_createcluster: they stay out of
# /etc/postgresql and pg_lsclusters). Either may be the primary; the other streams from it as a hot standby.
pg_dir() { echo "$DIR/pg-$1"; }
as_pg() { runuser -u postgres -- "$@"; }
psql_on() { local port=$1; shift; as_pg "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$DIR/pg-socket" -p "$port" -d postgres "$@"; }
pg_running() { as_pg "$PGBIN/pg_ctl" -D "$(pg_dir "$1")" status >/dev/null 2>&1; }
pg_is_primary() { pg_running "$1" && [[ $(psql_on "$1" -c "select pg_is_in_recovery()" 2>/dev/null) == f ]]; }
pg_other() { [[ $1 == "${PG_PORTS[0]}" ]] && echo "${PG_PORTS[1]}" || echo "${PG_PORTS[0]}"; }
pg_primary() { local p; for p in "${PG_PORTS[@]}"; do pg_is_primary "$p" && { echo "$p"; return 0; }; done; return 1; }

pg_node_conf() {  # pg_node_conf PORT [PRIMARY_PORT]: what differs between the two servers
  local port=$1 upstream=${2:-}
  {
    echo "port = $port"
    if [[ -n $upstream ]]; then
      echo "primary_conninfo = 'host=127.0.0.1 port=$upstream user=replicator password=replicator application_name=standby_$port'"
      echo "primary_slot_name = 'standby_$port'"
    fi
  } >"$(pg_dir "$port")/node.conf"
  chown postgres:postgres "$(pg_dir "$port")/node.conf"
}

pg_start() {
  local port=$1
  pg_running "$port" && return 0
  port_open "$port" && die "127.0.0.1:$port is taken, but this cluster's PostgreSQL there is not running"
  mkdir -p "$DIR/pg-log"
  chown postgres:postgres "$DIR/pg-log"
  log "starting PostgreSQL on 127.0.0.1:$port"
  as_pg "$PGBIN/pg_ctl" -D "$(pg_dir "$port")" -l "$DIR/pg-log/$port.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL on $port did not start; see $DIR/pg-log/$port.log"
}

pg_init_primary() {
  local port=$1 d
  d=$(pg_dir "$port")
  log "creating the PostgreSQL primary on 127.0.0.1:$port"
  mkdir -p "$d" "$DIR/pg-socket"
  chown postgres:postgres "$d" "$DIR/pg-socket"
  chmod 700 "$d"
  as_pg "$PGBIN/initdb" -D "$d" -U postgres --encoding UTF8 --locale C.UTF-8 --auth-local trust --auth-host scram-sha-256 >/dev/null
  # The same settings as deploy/infra.sh's server, plus streaming replication; node.conf holds the port and upstream.
  cat >>"$d/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR/pg-socket'
max_connections = 300
client_connection_check_interval = 1s
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
wal_log_hints = on
include_if_exists = 'node.conf'
EOF
  pg_node_conf "$port"
  pg_start "$port"
  psql_on "$port" -c "create role replicator with replication login password 'replicator'"
  psql_on "$port" -c "create role $NAME with login createdb password '$NAME'"
  local db
  for db in "$NAME" "${SERVICES[@]/#/${NAME}_}"; do
    psql_on "$port" -c "create database $db owner $NAME encoding 'UTF8' template template0"
  done
}

pg_init_standby() {  # pg_init_standby PORT PRIMARY_PORT: a fresh copy of the primary, streaming from it
  local port=$1 primary=$2 d
  d=$(pg_dir "$port")
  log "creating a hot standby on 127.0.0.1:$port streaming from :$primary"
  rm -rf "$d"
  mkdir -p "$d"
  chown postgres:postgres "$d"
  chmod 700 "$d"
  psql_on "$primary" -c "select pg_create_physical_replication_slot('standby_$port')
                         where not exists (select from pg_replication_slots where slot_name = 'standby_$port')" >/dev/null
  as_pg env PGPASSWORD=replicator "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U replicator -D "$d" -X stream -c fast
  touch "$d/standby.signal"
  chown postgres:postgres "$d/standby.signal"
  pg_node_conf "$port" "$primary"
  pg_start "$port"
}

pg_sync() {  # synchronous replication to the standby, or not (CLUSTER_PG_SYNC)
  local primary=$1 names=""
  [[ $PG_SYNC == on ]] && names="standby_$(pg_other "$primary")"
  psql_on "$primary" -c "alter system set synchronous_standby_names = '$names'" -c "select pg_reload_conf()" >/dev/null
}

pg_up() {
  [[ -n $PGBIN ]] || die "no PostgreSQL server in /usr/lib/postgresql"
  local primary standby p
  # Start what exists; the primary is whichever is not in recovery.
  for p in "${PG_PORTS[@]}"; do
    [[ -s $(pg_dir "$p")/PG_VERSION && ! -e $(pg_dir "$p")/standby.signal && ! -e $(pg_dir "$p")/retired ]] && pg_start "$p"
  done
  if ! primary=$(pg_primary); then
    [[ -e $(pg_dir "${PG_PORTS[0]}")/PG_VERSION || -e $(pg_dir "${PG_PORTS[1]}")/PG_VERSION ]] \
      && die "PostgreSQL data exists under $DIR but no primary runs: deploy/cluster.sh down, then up"
    pg_init_primary "${PG_PORTS[0]}"
    primary=${PG_PORTS[0]}
  fi
  standby=$(pg_other "$primary")
  # A standby that is not this primary's (the old primary after a failover) is made again from the primary.
  if [[ -e $(pg_dir "$standby")/standby.signal && ! -e $(pg_dir "$standby")/retired ]] \
     && grep -q "port=$primary " "$(pg_dir "$standby")/node.conf" 2>/dev/null; then
    pg_start "$standby"
  else
    pg_running "$standby" && as_pg "$PGBIN/pg_ctl" -D "$(pg_dir "$standby")" -m fast stop >/dev/null
    pg_init_standby "$standby" "$primary"
  fi
  wait_for 60 eval "[[ \$(psql_on $primary -c \"select count(*) from pg_stat_replication where application_name = 'standby_$standby' and state = 'streaming'\") == 1 ]]" \
    || die "the standby on $standby does not stream from $primary; see $DIR/pg-log/$standby.log"
  pg_sync "$primary"
}

pg_failover() {
  local primary standby started
  primary=$(pg_primary) || die "no PostgreSQL primary runs"
  standby=$(pg_other "$primary")
  pg_running "$standby" || die "no standby runs on $standby"
  started=$EPOCHREALTIME
  log "stopping the PostgreSQL primary on $primary"
  as_pg "$PGBIN/pg_ctl" -D "$(pg_dir "$primary")" -m fast -w stop >/dev/null
  # Never started again as a primary (two primaries would split the records): the next `up` makes it a standby.
  touch "$(pg_dir "$primary")/retired"
  log "promoting the standby on $standby"
  as_pg "$PGBIN/pg_ctl" -D "$(pg_dir "$standby")" -w -t 60 promote >/dev/null
  # Alone now: a synchronous standby name would make every commit wait for a standby that is not there.
  psql_on "$standby" -c "alter system set synchronous_standby_names = ''" -c "select pg_reload_conf()" >/dev/null
  log "primary is now 127.0.0.1:$standby (in $(( (${EPOCHREALTIME/./} - ${started/./}) / 1000 )) ms)"
}

pg_crash_loss() {  # what a crash of the primary loses: pgbench commits rows, the primary dies (-9), the standby is promoted
  local primary standby pid seconds=${1:-12}
  primary=$(pg_primary) || die "no PostgreSQL primary runs"
  standby=$(pg_other "$primary")
  psql_on "$primary" -d "$NAME" -c "drop table if exists crash_probe" -c "create table crash_probe (id bigserial primary key)" \
    -c "alter table crash_probe owner to $NAME"
  echo "insert into crash_probe default values;" >"$DIR/crash_probe.sql"
  chmod 644 "$DIR/crash_probe.sql"
  log "synchronous_standby_names='$(psql_on "$primary" -c 'show synchronous_standby_names')'; pgbench 4 clients for ${seconds} s, the primary killed after 5 s"
  as_pg env PGPASSWORD=$NAME "$PGBIN/pgbench" -h 127.0.0.1 -p "$primary" -U "$NAME" -n -c 4 -T "$seconds" -f "$DIR/crash_probe.sql" "$NAME" \
    >"$DIR/crash_probe.out" 2>&1 &
  local bench=$!
  sleep 5
  pid=$(head -n 1 "$(pg_dir "$primary")/postmaster.pid")
  # The postmaster and every backend at once, as a power cut would (a killed postmaster alone lets its walsender finish).
  kill -9 "$pid" $(pgrep -P "$pid") 2>/dev/null || true
  touch "$(pg_dir "$primary")/retired"
  wait "$bench" || true
  as_pg "$PGBIN/pg_ctl" -D "$(pg_dir "$standby")" -w -t 60 promote >/dev/null
  psql_on "$standby" -c "alter system set synchronous_standby_names = ''" -c "select pg_reload_conf()" >/dev/null
  local acknowledged kept
  acknowledged=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$DIR/crash_probe.out")
  [[ ${acknowledged:-0} -gt 0 ]] || die "pgbench committed nothing before the crash; see $DIR/crash_probe.out"
  kept=$(psql_on "$standby" -d "$NAME" -c "select count(*) from crash_probe")
  local lost=$(( acknowledged - kept ))
  if (( lost > 0 )); then log "commits acknowledged to pgbench: $acknowledged; on the promoted standby: $kept; lost: $lost"
  else log "commits acknowledged to pgbench: $acknowledged; on the promoted standby: $kept; lost: 0 ($(( -lost )) committed whose answer the crash cut off)"; fi
  grep '^tps' "$DIR/crash_probe.out" | sed 's/^/[cluster] pgbench /'
  rm -f "$(pg_dir "$primary")/postmaster.pid"
}

pg_down() {
  local p
  for p in "${PG_PORTS[@]}"; do
    pg_running "$p" || continue
    log "stopping PostgreSQL on $p"
    as_pg "$PGBIN/pg_ctl" -D "$(pg_dir "$p")" -m fast -w stop >/dev/null
  done
}

# ---------------------------------------------------------------------- main
settings() {
  local hosts="127.0.0.1:${PG_PORTS[0]},127.0.0.1:${PG_PORTS[1]}" s
  # Target Session Attributes=primary: of the two, the one that takes writes; Host Recheck Seconds=1: after a failover the
  # promoted standby is tried again within a second (Npgsql's default 10 s would be 10 s more of 503s).
  local common="Username=$NAME;Password=$NAME;Target Session Attributes=primary;Host Recheck Seconds=1;Timeout=5"
  echo "export ConnectionStrings__Platform='Host=$hosts;Database=$NAME;$common'"
  for s in "${SERVICES[@]}"; do echo "export ConnectionStrings__${s^}='Host=$hosts;Database=${NAME}_$s;$common'"; done
  echo "export RabbitMq__Nodes=127.0.0.1:$(amqp_port 1),127.0.0.1:$(amqp_port 2),127.0.0.1:$(amqp_port 3)"
  echo "export RabbitMq__Host=127.0.0.1 RabbitMq__Port=$(amqp_port 1) RabbitMq__VirtualHost=$NAME RabbitMq__Username=$NAME RabbitMq__Password=$NAME"
  echo "export RabbitMq__QuorumQueues=true"
}

status() {
  local n p
  for n in 1 2 3; do
    if rabbit_pid "$n" >/dev/null; then echo "rabbitmq $(node_name "$n") 127.0.0.1:$(amqp_port "$n") running"
    else echo "rabbitmq $(node_name "$n") 127.0.0.1:$(amqp_port "$n") down"; fi
  done
  for n in 1 2 3; do
    rabbit_pid "$n" >/dev/null || continue
    ctl "$n" -s list_queues -p "$NAME" name type leader members 2>/dev/null | sort | sed 's/^/  queue /' || true
    break
  done
  for p in "${PG_PORTS[@]}"; do
    if ! pg_running "$p"; then echo "postgresql 127.0.0.1:$p down"
    elif pg_is_primary "$p"; then
      echo "postgresql 127.0.0.1:$p primary; synchronous_standby_names='$(psql_on "$p" -c 'show synchronous_standby_names')'"
      psql_on "$p" -c "select '  replica ' || application_name || ' ' || state || ' ' || sync_state from pg_stat_replication"
    else echo "postgresql 127.0.0.1:$p standby"; fi
  done
}

[[ $(id -u) -eq 0 ]] || die "must run as root (runs the brokers as the rabbitmq and postgres users)"
case ${1:-} in
  up)
    mkdir -p "$DIR"
    pg_up
    rabbit_up
    log "up in ${SECONDS}s; settings: eval \"\$(deploy/cluster.sh env)\""
    ;;
  down)
    rabbit_down
    pg_down
    rm -rf "$DIR"
    log "down: nothing of the cluster runs, its data is deleted"
    ;;
  status) status ;;
  leaders)  # every queue of the vhost: name, type, leader node (tab-separated), asked of the first running node
    # A short bound: right after a node dies, on a loaded machine, a CLI call now and then hangs until killed; the caller
    # asks again (the next call answered in about a second).
    CLI_TIMEOUT=${CLUSTER_CLI_TIMEOUT:-20}
    for n in 1 2 3; do
      rabbit_pid "$n" >/dev/null || continue
      # From the cluster's metadata, not list_queues: that waits on a queue whose leader just died (it hung for minutes).
      ctl "$n" eval 'lists:foreach(fun(Q) -> {resource, _, queue, N} = amqqueue:get_name(Q),
          L = case amqqueue:get_pid(Q) of {_, Nd} -> Nd; P when is_pid(P) -> node(P); _ -> none end,
          T = case amqqueue:get_type(Q) of rabbit_quorum_queue -> quorum; rabbit_classic_queue -> classic;
                rabbit_stream_queue -> stream; O -> O end,
          io:format("~s\t~s\t~s~n", [N, T, L]) end, rabbit_amqqueue:list(<<"'"$NAME"'">>)), ok.' | grep -v '^ok$'
      exit 0
    done
    die "no RabbitMQ node of the cluster runs" ;;
  env) settings ;;
  kill-rabbit) rabbit_kill "${2:?node 1-3}" ;;
  start-rabbit) rabbit_start "${2:?node 1-3}" ;;
  failover) pg_failover ;;
  crash-loss) pg_crash_loss "${2:-12}" ;;
  benchmark)
    cd "$ROOT"
    if [[ ${2:-} == single ]]; then shift
    else "$0" up; eval "$(settings)"; fi
    shift
    source deploy/environment.sh
    dotnet build tests/Benchmarks -c Release -v quiet -nologo >/dev/null
    for svc in Assessment Timeline; do dotnet build "services/$svc" -c Release -v quiet -nologo >/dev/null; done
    pids=()
    trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
    mkdir -p "$DIR"
    port=5501
    for svc in Assessment Timeline; do
      ( cd "services/$svc/bin/Release/net10.0" && ASPNETCORE_ENVIRONMENT=Production exec dotnet "Recovery.$svc.dll" --urls "http://127.0.0.1:$port" ) \
        </dev/null >"$DIR/benchmark-$svc.log" 2>&1 &
      pids+=($!)
      wait_for 180 eval "curl -fs http://127.0.0.1:$port/health/ready >/dev/null" || die "$svc did not start; see $DIR/benchmark-$svc.log"
      port=$((port + 1))
    done
    log "RabbitMQ ${RabbitMq__Nodes:-$RabbitMq__Host} (quorum queues: ${RabbitMq__QuorumQueues:-false}); PostgreSQL ${ConnectionStrings__Assessment:-$ConnectionStrings__Platform}" | sed 's/Password=[^;]*;\?//'
    dotnet run --project tests/Benchmarks -c Release --no-build --no-launch-profile -- freshness \
      --assessment http://127.0.0.1:5501 --timeline http://127.0.0.1:5502 "$@"
    ;;
  test)
    "$0" up
    eval "$(settings)"
    source "$ROOT/deploy/environment.sh"
    export CLUSTER_SCRIPT="$ROOT/deploy/cluster.sh"
    cd "$ROOT"
    dotnet test tests/Integration.Tests -c Release --filter "Category=Cluster" --logger "console;verbosity=detailed" </dev/null
    ;;
  *) die "usage: $0 up|down|status|env|test|benchmark [single]|leaders|kill-rabbit N|start-rabbit N|failover|crash-loss" ;;
esac
