#!/usr/bin/env bash
# Local PostgreSQL + RabbitMQ for development and CI, bound to 127.0.0.1 only.
# No Docker needed: uses Debian's packages. Safe to run repeatedly; run as root.
#   deploy/infra.sh          install if missing, configure, start, create role/db/vhost/user
#   deploy/infra.sh stop     stop RabbitMQ and PostgreSQL (for fault tests)
#   deploy/infra.sh fresh-vhost NAME   an empty vhost NAME for user recovery (the test command's own; dropped if it exists)
#   deploy/infra.sh fresh-db NAME      an empty database NAME owned by recovery (the test command's own; dropped if it exists)
set -euo pipefail

NAME=recovery                       # role, database, vhost and user (password = name too)
PG_PORT=5432
AMQP_PORT=5672
MGMT_PORT=15672
# rabbit@localhost rather than rabbit@<hostname>: epmd listens on 127.0.0.1 only, and the CLI
# looks for the node's epmd at its host part (Debian maps the hostname to 127.0.1.1, clouds to the NIC).
RABBIT_NODE=rabbit@localhost

log() { printf '[infra] %s\n' "$*"; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "must run as root (installs packages, starts system services)"
cd /   # runuser'd tools warn when they cannot read root's working directory

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() {  # wait_for <seconds> <command...>: poll until the command succeeds
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# (grep >/dev/null rather than grep -q: under pipefail an early-exiting grep can fail the pipe.)
# Install only what is missing; apt-get update at most once per run.
apt_updated=
ensure_pkgs() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'ok installed' >/dev/null || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  export DEBIAN_FRONTEND=noninteractive
  if [[ -z $apt_updated ]]; then
    log "apt-get update"
    apt-get update -qq || log "warning: apt-get update failed; trying the existing package lists"
    apt_updated=1
  fi
  log "installing ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# Write a file only when its content differs; returns 0 if it changed.
write_if_changed() {  # write_if_changed <path> <content>
  [[ -f $1 && $(<"$1") == "$2" ]] && return 1
  printf '%s\n' "$2" >"$1"
}

# ---------------------------------------------------------------- PostgreSQL
# Highest installed server version (a client-only install also creates /usr/lib/postgresql/N).
pg_version() { ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | cut -d/ -f5 | sort -n | tail -n 1; }
pg_status() { pg_lsclusters -h 2>/dev/null | awk -v v="$PGV" '$1 == v && $2 == "main" { print $4 }'; }  # online/down/""
psql_admin() { runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }

pg_start() {
  PGV=$(pg_version)
  [[ -n $PGV ]] || die "no PostgreSQL server found in /usr/lib/postgresql after installing postgresql"
  if [[ -z $(pg_status) ]]; then
    # pg_createcluster runs initdb as the postgres user itself (initdb refuses root).
    # UTF8 explicitly: with no locale in the environment initdb would pick SQL_ASCII.
    log "creating PostgreSQL $PGV cluster 'main'"
    pg_createcluster "$PGV" main --port "$PG_PORT" --encoding UTF8 --locale C.UTF-8 >/dev/null
  fi

  # Our settings live in a conf.d drop-in (Debian's postgresql.conf includes conf.d last).
  # max_connections: several services x connection pools x parallel test projects; keep a higher admin value.
  local conf=/etc/postgresql/$PGV/main/conf.d/recovery-platform.conf cur maxconn=300
  cur=$(sed -n 's/^[[:space:]]*max_connections[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' \
          "/etc/postgresql/$PGV/main/postgresql.conf" | tail -n 1)
  if ((${cur:-0} > maxconn)); then maxconn=$cur; fi
  local settings="listen_addresses = '127.0.0.1'
port = $PG_PORT
max_connections = $maxconn"
  # A killed service's backend inside a long statement would otherwise live on with its transaction open, keeping
  # the daemon's leadership lock, and Marten's gap detection holds every store's high-water mark behind such a
  # "live" transaction (seen with the daemon's pg_sleep lock monitor). Checking the client socket ends it.
  if ((${PGV%%.*} >= 14)); then settings+="
client_connection_check_interval = 1s"; fi
  if write_if_changed "$conf" "$settings"; then
    # listen_addresses, port and max_connections need a restart, not a reload.
    if [[ $(pg_status) == online ]]; then
      log "PostgreSQL settings changed: restarting"
      pg_ctlcluster "$PGV" main restart
    fi
  fi
  if [[ $(pg_status) != online ]]; then
    log "starting PostgreSQL $PGV"
    pg_ctlcluster "$PGV" main start || die "PostgreSQL did not start; see /var/log/postgresql/postgresql-$PGV-main.log"
  fi
  wait_for 60 pg_isready -q -h 127.0.0.1 -p "$PG_PORT" \
    || die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT; see /var/log/postgresql/postgresql-$PGV-main.log"
  log "PostgreSQL $PGV up on 127.0.0.1:$PG_PORT"

  # ALTER every time so the password is right even if the role pre-existed.
  psql_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$NAME') THEN CREATE ROLE $NAME; END IF;
      ALTER ROLE $NAME WITH LOGIN CREATEDB PASSWORD '$NAME';
    END \$\$;"
  if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$NAME'") ]]; then
    log "creating database $NAME"
    psql_admin -c "CREATE DATABASE $NAME OWNER $NAME ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
  fi
}

pg_stop() {
  PGV=$(pg_version)
  [[ -n $PGV && $(pg_status) == online ]] || { log "PostgreSQL not running"; return 0; }
  log "stopping PostgreSQL $PGV"
  pg_ctlcluster "$PGV" main stop   # Debian's default mode is fast: open connections are cut
}

# ------------------------------------------------------------------ RabbitMQ
RABBIT_CONF="listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT"
# rabbitmq-env.conf is sourced by the rabbitmq scripts, which accept names without the RABBITMQ_
# prefix. inet_dist_use_interface keeps Erlang distribution (node 25672, CLI 35672+) on loopback.
RABBIT_ENV="NODENAME=$RABBIT_NODE
ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS=\"-kernel inet_dist_use_interface {127,0,0,1}\"
CTL_ERL_ARGS=\"-kernel inet_dist_use_interface {127,0,0,1}\""

# Is a node registered with epmd? Cheap, and never starts an epmd.
rabbit_registered() { epmd -names 2>/dev/null | grep '^name rabbit at' >/dev/null; }
# A running node: ours, or one started earlier under Debian's default name rabbit@<hostname>.
# Ask epmd first: a CLI probe of an unreachable node waits for its whole timeout.
running_node() {
  local n
  rabbit_registered || return 1
  for n in "$RABBIT_NODE" "rabbit@$(hostname -s)"; do
    rabbitmq-diagnostics -q -n "$n" -t 10 ping >/dev/null 2>&1 && { echo "$n"; return 0; }
  done
  return 1
}
rabbit_log() { echo "see /var/log/rabbitmq/$RABBIT_NODE.log and /var/log/rabbitmq/startup.log"; }

rabbit_start() {
  local node
  # epmd first and loopback-only: any rabbitmq CLI call would otherwise start one on 0.0.0.0.
  if ! port_open 4369; then
    runuser -u rabbitmq -- epmd -address 127.0.0.1 -daemon </dev/null >/dev/null 2>&1
    wait_for 10 port_open 4369 || die "epmd did not start"
  fi

  if node=$(running_node); then
    # Config is only read at boot; rewriting it under a running node would mislead the CLI.
    log "RabbitMQ already running as $node"
    if [[ $node != "$RABBIT_NODE" || $(cat /etc/rabbitmq/rabbitmq.conf 2>/dev/null) != "$RABBIT_CONF" ]]; then
      log "note: its configuration differs from this script's; applied by: deploy/infra.sh stop && deploy/infra.sh"
    fi
    # A node left with its application stopped (a fault test interrupted mid-outage) answers but does not listen.
    port_open "$AMQP_PORT" || { log "starting the RabbitMQ application on $node"; rabbitmqctl -n "$node" start_app >/dev/null || true; }
  else
    port_open "$AMQP_PORT" && die "127.0.0.1:$AMQP_PORT is taken, but no RabbitMQ node answers"
    write_if_changed /etc/rabbitmq/rabbitmq.conf "$RABBIT_CONF" || true
    write_if_changed /etc/rabbitmq/rabbitmq-env.conf "$RABBIT_ENV" || true
    grep -qs rabbitmq_management /etc/rabbitmq/enabled_plugins \
      || rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
    log "starting RabbitMQ"
    node=$RABBIT_NODE
    # Redirected: the detached VM must not keep our stdout open, or a piped caller (CI) never sees EOF.
    rabbitmq-server -detached </dev/null >/var/log/rabbitmq/startup.log 2>&1 \
      || die "rabbitmq-server did not start; $(rabbit_log)"
  fi
  # `rabbitmq-diagnostics ping` succeeds before the AMQP listener is up: wait for the port itself.
  wait_for 120 port_open "$AMQP_PORT" \
    || die "RabbitMQ does not listen on 127.0.0.1:$AMQP_PORT; $(rabbit_log)"
  log "RabbitMQ up on 127.0.0.1:$AMQP_PORT"

  # One CLI call (~1 s) on the warm path; the full setup only when something is missing.
  local ctl=(rabbitmqctl -n "$node")
  if ! "${ctl[@]}" -s list_permissions -p "$NAME" 2>/dev/null | grep -P "^$NAME\t\.\*\t\.\*\t\.\*$" >/dev/null; then
    log "creating vhost and user $NAME"
    "${ctl[@]}" -s list_vhosts | grep -x "$NAME" >/dev/null || "${ctl[@]}" -q add_vhost "$NAME"
    "${ctl[@]}" -s list_users | grep -P "^$NAME\t" >/dev/null || "${ctl[@]}" -q add_user "$NAME" "$NAME"
    "${ctl[@]}" -q set_user_tags "$NAME" administrator   # management UI login
    "${ctl[@]}" -q set_permissions -p "$NAME" "$NAME" '.*' '.*' '.*'
    # The history stream (docs/events.md) is a stream queue over AMQP 0.9.1: no plugin, only this feature flag, on
    # by default on a new 3.10 node (not on one upgraded from 3.8). The services declare the stream themselves.
    "${ctl[@]}" -q enable_feature_flag stream_queue
  fi
  RABBIT_RUNNING=$node
}

rabbit_stop() {
  local node
  if ! node=$(running_node); then log "RabbitMQ not running"; return 0; fi
  log "stopping RabbitMQ ($node)"
  # `stop`, not `shutdown`: shutdown refuses to wait for a node named after another host.
  rabbitmqctl -q -n "$node" stop
  wait_for 60 eval '! rabbit_registered' || die "RabbitMQ node $node did not exit"
  log "RabbitMQ stopped"   # epmd stays: loopback-only, harmless, reused by the next start
}

# ---------------------------------------------------------------------- main
case ${1:-start} in
  start)
    pkgs=(rabbitmq-server)                       # one apt run for both: dpkg/apt startup is per call
    [[ -n $(pg_version) ]] || pkgs+=(postgresql)  # Debian's default version, usually preinstalled
    command -v python3 >/dev/null || pkgs+=(python3)  # deploy/test.sh reads TRX with it
    command -v curl >/dev/null || pkgs+=(curl)
    ensure_pkgs "${pkgs[@]}"
    pg_start
    rabbit_start
    cat <<EOF
[infra] ready in ${SECONDS}s
  PostgreSQL $PGV  Host=127.0.0.1;Port=$PG_PORT;Database=$NAME;Username=$NAME;Password=$NAME
  RabbitMQ     amqp://$NAME:$NAME@127.0.0.1:$AMQP_PORT/$NAME
  Management   http://127.0.0.1:$MGMT_PORT/ ($NAME/$NAME), node $RABBIT_RUNNING
EOF
    ;;
  stop)
    rabbit_stop
    pg_stop
    ;;
  fresh-vhost)
    # The tests read the history stream from its first offset: a vhost of their own, emptied each run, keeps the demo's
    # and the benchmarks' messages (tens of thousands after a large demo) out of what they read.
    vhost=${2:?usage: $0 fresh-vhost NAME}
    [[ $vhost != "$NAME" ]] || die "fresh-vhost: $vhost is the platform's own vhost"
    node=$(running_node) || die "RabbitMQ is not running (run $0 first)"
    rabbitmqctl -q -n "$node" delete_vhost "$vhost" 2>/dev/null || true
    rabbitmqctl -q -n "$node" add_vhost "$vhost"
    rabbitmqctl -q -n "$node" set_permissions -p "$vhost" "$NAME" '.*' '.*' '.*'
    log "vhost $vhost empty"
    ;;
  fresh-db)
    # The same for PostgreSQL: the tests' services start on an empty store, not on the demo's thousands of patients.
    db=${2:?usage: $0 fresh-db NAME}
    [[ $db =~ ^[a-z_][a-z0-9_]*$ && $db != "$NAME" ]] || die "fresh-db: $db is not a test database name"
    psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    psql_admin -c "CREATE DATABASE $db OWNER $NAME ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
    log "database $db empty"
    ;;
  *) die "usage: $0 [start|stop|fresh-vhost NAME|fresh-db NAME]" ;;
esac
