#!/usr/bin/env bash
# Installs (when missing) and starts the real servers the integration tests use, waits until each one
# answers, and writes the environment the tests read to .tmp/test-env.sh.
#
# Idempotent: a second run only checks that everything still answers. Needs root, no standard input,
# and no systemd (Debian package installs here do not start services, so this script starts them).
#
# Adding a server: write one `server_<name>` function (install with `ensure_packages`, start it, wait with
# `wait_until`, register its variables with `add_env`) and append <name> to SERVERS below.
set -euo pipefail

SERVERS=(postgres rabbitmq redis clickhouse s3 tools smtp)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="$ROOT/.tmp/test-env.sh"
TIMEOUT="${BACBOS_SERVER_TIMEOUT:-90}"   # seconds to wait for each server to answer
LOCK_FILE="/tmp/bacbos-servers.lock"     # machine-wide: all checkouts share the same servers

# RabbitMQ's CLI (and Erlang in general) needs HOME; CI shells sometimes run without it.
export HOME="${HOME:-/root}"
export DEBIAN_FRONTEND=noninteractive

# ---------------------------------------------------------------------------------------------- helpers

log() { printf '[servers] %s\n' "$*" >&2; }
die() { printf '[servers] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_until <description> <seconds> <command...>: polls the command until it succeeds or the deadline.
wait_until() {
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${seconds}s waiting for: $what"
      return 1
    fi
    sleep 0.5
  done
}

APT_UPDATED=0
# ensure_packages <pkg...>: installs the Debian packages that are not installed yet (apt-get update once).
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  if ((APT_UPDATED == 0)); then
    log "apt-get update"
    apt-get update -qq </dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "installing: ${missing[*]}"
  apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null >/dev/null || die "apt-get install ${missing[*]} failed"
}

ENV_NAMES=()
declare -A ENV_VALUES=()
# add_env <NAME> <value>: a variable the tests read; written to .tmp/test-env.sh and printed at the end.
# Values are written inside double quotes, so they must not contain characters the shell expands there.
add_env() {
  [[ "$2" != *[\"\$\`\\]* ]] || die "add_env $1: value contains a character that needs quoting"
  ENV_NAMES+=("$1"); ENV_VALUES[$1]="$2"
}

ready() { printf '%-10s ready  %s\n' "$1" "$2"; }

# Runs a command as another system user from a directory that user can read.
as_user() { local user="$1"; shift; (cd / && runuser -u "$user" -- "$@"); }

# ------------------------------------------------------------------------------------------- PostgreSQL

PG_CLUSTER="${BACBOS_PG_CLUSTER:-main}"
PG_PORT="${BACBOS_PG_PORT:-5432}"
PG_USER=bacbos
PG_PASSWORD=bacbos
PG_DATABASE=bacbos
PG_MAX_CONNECTIONS=300   # many test databases and connections from several test processes at once

# Starts the cluster whenever it is not running (also if a server that looked alive exits meanwhile) until
# it accepts TCP connections on loopback.
postgres_start_and_wait() {
  local version="$1" deadline=$((SECONDS + TIMEOUT))
  local pg_log="/var/log/postgresql/postgresql-$version-$PG_CLUSTER.log"
  until pg_isready -q -h 127.0.0.1 -p "$PG_PORT" </dev/null >/dev/null 2>&1; do
    if ! pg_ctlcluster "$version" "$PG_CLUSTER" status </dev/null >/dev/null 2>&1; then
      log "starting PostgreSQL $version/$PG_CLUSTER"
      if ! pg_ctlcluster "$version" "$PG_CLUSTER" start </dev/null >/dev/null 2>&1; then
        tail -n 20 "$pg_log" >&2 2>/dev/null || true
        die "pg_ctlcluster $version $PG_CLUSTER start failed (log: $pg_log)"
      fi
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$pg_log" >&2 2>/dev/null || true
      die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT after ${TIMEOUT}s (log: $pg_log)"
    fi
    sleep 0.5
  done
}

server_postgres() {
  ensure_packages postgresql

  local version
  version="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1 || true)"
  [[ -n "$version" ]] || die "PostgreSQL binaries not found under /usr/lib/postgresql"

  # The package normally creates the cluster; create it if a previous install did not.
  if ! pg_lsclusters -h | awk -v v="$version" -v c="$PG_CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    log "creating PostgreSQL cluster $version/$PG_CLUSTER"
    pg_createcluster --port "$PG_PORT" "$version" "$PG_CLUSTER" </dev/null >/dev/null
  fi

  # The socket directory lives on /run, which may be empty on a fresh container.
  install -d -o postgres -g postgres -m 2775 /var/run/postgresql

  # Our settings go into a drop-in (conf.d is included last), so the packaged postgresql.conf stays as is.
  local dropin="/etc/postgresql/$version/$PG_CLUSTER/conf.d/90-bacbos.conf"
  local settings="max_connections = $PG_MAX_CONNECTIONS"
  if [[ "$(cat "$dropin" 2>/dev/null)" != "$settings" ]]; then
    install -d -o postgres -g postgres "$(dirname "$dropin")"
    printf '%s\n' "$settings" >"$dropin"
    chown postgres:postgres "$dropin"
  fi

  postgres_start_and_wait "$version"

  # A server started before the drop-in existed still runs with the old value: restart it once.
  local current
  current="$(as_user postgres psql -X -At -p "$PG_PORT" -d postgres -c 'show max_connections' </dev/null 2>/dev/null || true)"
  if [[ "$current" != "$PG_MAX_CONNECTIONS" ]]; then
    log "restarting PostgreSQL to apply max_connections=$PG_MAX_CONNECTIONS (was ${current:-unknown})"
    pg_ctlcluster "$version" "$PG_CLUSTER" restart </dev/null >/dev/null 2>&1 \
      || die "pg_ctlcluster $version $PG_CLUSTER restart failed"
    postgres_start_and_wait "$version"
  fi

  # Role (superuser: tests create and drop databases and schemas) and database, both idempotent.
  as_user postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres >/dev/null <<SQL || die "could not create role/database $PG_USER"
SET password_encryption = 'scram-sha-256';
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN SUPERUSER PASSWORD '$PG_PASSWORD';
  ELSIF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER' AND rolsuper AND rolcanlogin) THEN
    ALTER ROLE $PG_USER LOGIN SUPERUSER;
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_USER'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE')\gexec
SQL

  # Prove the exact path the tests use: TCP on loopback with a (scram) password.
  if ! PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" \
      -U "$PG_USER" -d "$PG_DATABASE" -c 'select 1' </dev/null >/dev/null 2>&1; then
    # The role exists but its password differs (created by hand earlier): reset it, then retry once.
    as_user postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
      -c "SET password_encryption = 'scram-sha-256'" \
      -c "ALTER ROLE $PG_USER PASSWORD '$PG_PASSWORD'" </dev/null >/dev/null
    PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" \
      -U "$PG_USER" -d "$PG_DATABASE" -c 'select 1' </dev/null >/dev/null \
      || die "cannot log in as $PG_USER over TCP on 127.0.0.1:$PG_PORT (check pg_hba.conf)"
  fi

  ready postgres "PostgreSQL $version on 127.0.0.1:$PG_PORT (database $PG_DATABASE, user $PG_USER)"
  add_env BACBOS_TEST_POSTGRES \
    "Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=$PG_PASSWORD;Database=$PG_DATABASE"
}

# --------------------------------------------------------------------------------------------- RabbitMQ

# Other ports/node names only if RabbitMQ's own settings (RABBITMQ_NODENAME, RABBITMQ_CONFIG_FILE, ...) match.
RABBIT_AMQP_PORT="${BACBOS_RABBITMQ_PORT:-5672}"
RABBIT_MGMT_PORT="${BACBOS_RABBITMQ_MANAGEMENT_PORT:-15672}"
RABBIT_HOME=/var/lib/rabbitmq
RABBIT_PLUGINS_FILE="${RABBITMQ_ENABLED_PLUGINS_FILE:-/etc/rabbitmq/enabled_plugins}"

rabbitmq_api_answers() {
  curl -fs -o /dev/null --max-time 3 -u guest:guest "http://127.0.0.1:$RABBIT_MGMT_PORT/api/overview"
}

amqp_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$RABBIT_AMQP_PORT") 2>/dev/null; }

rabbitmq_fail() {
  local log_dir="${RABBITMQ_LOG_BASE:-/var/log/rabbitmq}" node_log
  node_log="$(ls -t "$log_dir"/*@*.log 2>/dev/null | grep -v '_upgrade\.log$' | head -n1 || true)"
  [[ -n "$node_log" ]] && tail -n 30 "$node_log" >&2
  die "$1 (logs: $log_dir/)"
}

server_rabbitmq() {
  ensure_packages rabbitmq-server curl

  # Fast path: a node is already up with the management plugin and the AMQP listener.
  if rabbitmq_api_answers && amqp_port_open; then
    ready rabbitmq "RabbitMQ on 127.0.0.1:$RABBIT_AMQP_PORT, management http://127.0.0.1:$RABBIT_MGMT_PORT (already running)"
    add_rabbitmq_env
    return 0
  fi

  # The server and CLI run as the rabbitmq user (the /usr/sbin wrappers switch to it when run as root)
  # and share the Erlang cookie in its home; it must exist, belong to rabbitmq and be readable by it only.
  install -d -o rabbitmq -g rabbitmq "$RABBIT_HOME" /var/log/rabbitmq
  local cookie="$RABBIT_HOME/.erlang.cookie"
  if [[ ! -s "$cookie" ]]; then
    (umask 077 && od -An -N20 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F' >"$cookie")
  fi
  chown rabbitmq:rabbitmq "$cookie"
  chmod 400 "$cookie"

  local running=0
  rabbitmq-diagnostics -q ping </dev/null >/dev/null 2>&1 && running=1

  if ! grep -qs 'rabbitmq_management' "$RABBIT_PLUGINS_FILE"; then
    log "enabling rabbitmq_management"
    if ((running)); then
      rabbitmq-plugins enable rabbitmq_management </dev/null >/dev/null || rabbitmq_fail "could not enable rabbitmq_management"
    else
      rabbitmq-plugins enable --offline rabbitmq_management </dev/null >/dev/null || rabbitmq_fail "could not enable rabbitmq_management"
    fi
  fi

  if ((running == 0)); then
    log "starting RabbitMQ"
    # Detached Erlang must not hold on to this script's stdout/stderr (callers may pipe them).
    rabbitmq-server -detached </dev/null >/dev/null 2>&1 || rabbitmq_fail "rabbitmq-server -detached failed"
  fi
  # `-detached` returns before the Erlang node exists, and await_startup fails at once (exit 69, "node not
  # running at all") while the node is not registered yet: wait for it to answer pings first.
  wait_until "RabbitMQ node to come up" "$TIMEOUT" rabbitmq-diagnostics -q ping </dev/null \
    || rabbitmq_fail "the RabbitMQ node did not come up within ${TIMEOUT}s"
  local out
  if ! out="$(timeout "$((TIMEOUT + 10))" rabbitmqctl -q await_startup --timeout "$TIMEOUT" </dev/null 2>&1)"; then
    printf '%s\n' "$out" >&2
    rabbitmq_fail "RabbitMQ did not finish booting within ${TIMEOUT}s"
  fi
  wait_until "RabbitMQ AMQP on 127.0.0.1:$RABBIT_AMQP_PORT" "$TIMEOUT" amqp_port_open \
    || rabbitmq_fail "RabbitMQ does not listen on 127.0.0.1:$RABBIT_AMQP_PORT"
  wait_until "RabbitMQ management API" "$TIMEOUT" rabbitmq_api_answers \
    || rabbitmq_fail "RabbitMQ management API does not answer on 127.0.0.1:$RABBIT_MGMT_PORT"

  ready rabbitmq "RabbitMQ on 127.0.0.1:$RABBIT_AMQP_PORT, management http://127.0.0.1:$RABBIT_MGMT_PORT"
  add_rabbitmq_env
}

add_rabbitmq_env() {
  add_env BACBOS_TEST_RABBITMQ "amqp://guest:guest@127.0.0.1:$RABBIT_AMQP_PORT/"
  add_env BACBOS_TEST_RABBITMQ_MANAGEMENT "http://127.0.0.1:$RABBIT_MGMT_PORT"
}

# ------------------------------------------------------------------------------------------------ Redis

# The admin user is Redis's `default` user, defined in an ACL file (so the provisioning driver's ACL SAVE
# persists the per-tenant users across restarts). The server runs as the redis user without RDB snapshots.
REDIS_PORT="${BACBOS_REDIS_PORT:-6379}"
REDIS_PASSWORD=bacbos
REDIS_HOME=/var/lib/redis
REDIS_ACL_FILE="$REDIS_HOME/bacbos-users.acl"
REDIS_LOG=/var/log/redis/bacbos-redis.log

redis_answers() {
  [[ "$(redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" --user default --pass "$REDIS_PASSWORD" \
    ping </dev/null 2>/dev/null)" == PONG ]]
}

redis_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; }

redis_fail() {
  tail -n 20 "$REDIS_LOG" >&2 2>/dev/null || true
  die "$1 (log: $REDIS_LOG)"
}

server_redis() {
  ensure_packages redis-server

  if ! redis_answers; then
    redis_port_open && die "something listens on 127.0.0.1:$REDIS_PORT but does not accept the admin password (ACL file $REDIS_ACL_FILE)"
    install -d -o redis -g redis -m 750 "$REDIS_HOME" /var/run/redis
    install -d -o redis -g adm -m 2750 "$(dirname "$REDIS_LOG")"
    if [[ ! -s "$REDIS_ACL_FILE" ]]; then
      (umask 077 && printf 'user default on >%s ~* &* +@all\n' "$REDIS_PASSWORD" >"$REDIS_ACL_FILE")
      chown redis:redis "$REDIS_ACL_FILE"
    fi
    log "starting Redis"
    as_user redis redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_HOME" \
      --aclfile "$REDIS_ACL_FILE" --save '' --appendonly no \
      --pidfile /var/run/redis/bacbos-redis.pid --logfile "$REDIS_LOG" </dev/null >/dev/null 2>&1 \
      || redis_fail "redis-server failed to start"
    wait_until "Redis PING on 127.0.0.1:$REDIS_PORT" "$TIMEOUT" redis_answers \
      || redis_fail "Redis does not answer PING on 127.0.0.1:$REDIS_PORT"
  fi

  ready redis "Redis on 127.0.0.1:$REDIS_PORT (admin user default, ACL file $REDIS_ACL_FILE)"
  add_env BACBOS_TEST_REDIS "127.0.0.1:$REDIS_PORT,user=default,password=$REDIS_PASSWORD"
}

# ------------------------------------------------------------------------------------------- ClickHouse

# ClickHouse 18.16 from Debian. Its HTTP port (8123) comes from the packaged config.xml. Our login is a
# drop-in user file, which a running server picks up by itself within seconds.
CLICKHOUSE_HTTP_PORT=8123
CLICKHOUSE_USER=bacbos
CLICKHOUSE_PASSWORD=bacbos
CLICKHOUSE_USERS_FILE=/etc/clickhouse-server/users.d/bacbos.xml
CLICKHOUSE_RUN=/var/run/clickhouse-server
CLICKHOUSE_ERR_LOG=/var/log/clickhouse-server/clickhouse-server.err.log

clickhouse_answers() {
  [[ "$(curl -fs --max-time 3 -u "$CLICKHOUSE_USER:$CLICKHOUSE_PASSWORD" \
    "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT/" --data-binary 'SELECT 1' 2>/dev/null)" == 1 ]]
}

clickhouse_http_open() { curl -fs -o /dev/null --max-time 3 "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT/ping"; }

clickhouse_fail() {
  tail -n 20 "$CLICKHOUSE_ERR_LOG" >&2 2>/dev/null || true
  die "$1 (log: $CLICKHOUSE_ERR_LOG)"
}

server_clickhouse() {
  ensure_packages clickhouse-server curl

  local hash users
  hash="$(printf '%s' "$CLICKHOUSE_PASSWORD" | sha256sum | cut -d' ' -f1)"
  users="<?xml version=\"1.0\"?>
<yandex>
    <users>
        <$CLICKHOUSE_USER>
            <password_sha256_hex>$hash</password_sha256_hex>
            <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </$CLICKHOUSE_USER>
    </users>
</yandex>"
  if [[ "$(cat "$CLICKHOUSE_USERS_FILE" 2>/dev/null)" != "$users" ]]; then
    install -d "$(dirname "$CLICKHOUSE_USERS_FILE")"
    printf '%s\n' "$users" >"$CLICKHOUSE_USERS_FILE"
    chmod 644 "$CLICKHOUSE_USERS_FILE"
  fi

  if ! clickhouse_answers; then
    if ! clickhouse_http_open; then
      # As the clickhouse user with a pid file in a folder it owns; otherwise the daemon exits silently.
      install -d -o clickhouse -g clickhouse "$CLICKHOUSE_RUN" /var/lib/clickhouse /var/log/clickhouse-server
      log "starting ClickHouse"
      as_user clickhouse clickhouse-server --config-file=/etc/clickhouse-server/config.xml --daemon \
        --pid-file="$CLICKHOUSE_RUN/clickhouse-server.pid" </dev/null >/dev/null 2>&1 \
        || clickhouse_fail "clickhouse-server --daemon failed"
    fi
    wait_until "ClickHouse HTTP on 127.0.0.1:$CLICKHOUSE_HTTP_PORT" "$TIMEOUT" clickhouse_answers \
      || clickhouse_fail "ClickHouse does not answer SELECT 1 as $CLICKHOUSE_USER on 127.0.0.1:$CLICKHOUSE_HTTP_PORT"
  fi

  ready clickhouse "ClickHouse on http://127.0.0.1:$CLICKHOUSE_HTTP_PORT (user $CLICKHOUSE_USER)"
  add_env BACBOS_TEST_CLICKHOUSE "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT"
  add_env BACBOS_TEST_CLICKHOUSE_USER "$CLICKHOUSE_USER"
  add_env BACBOS_TEST_CLICKHOUSE_PASSWORD "$CLICKHOUSE_PASSWORD"
}

# ---------------------------------------------------------------------------------------------- s3rver

# S3 API server for tests (npm package s3rver), installed into this checkout's .tmp and started detached.
# Machine-wide like the other servers: a checkout that finds one already answering on the port uses it.
S3_VERSION=3.7.1
S3_PORT="${BACBOS_S3_PORT:-4569}"
S3_ACCESS_KEY=S3RVER
S3_SECRET_KEY=S3RVER
# Machine-wide like the other servers (not under one checkout: deleting that checkout would break the running
# server for every other checkout).
S3_TOOL_DIR="${BACBOS_S3RVER_DIR:-/opt/bacbos/s3rver}"
S3_DATA_DIR="${BACBOS_S3RVER_DATA:-/var/lib/bacbos/s3rver}"
S3_LOG="/var/log/bacbos-s3rver.log"
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

s3_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null; }
s3_port_closed() { ! s3_port_open; }

# A signed ListBuckets, the way the tests call it.
s3_answers() {
  curl -fs -o /dev/null --max-time 3 --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H "x-amz-content-sha256: $EMPTY_SHA256" "http://127.0.0.1:$S3_PORT/"
}

s3_fail() {
  tail -n 20 "$S3_LOG" >&2 2>/dev/null || true
  die "$1 (log: ${S3_LOG#"$ROOT"/})"
}

server_s3() {
  ensure_packages curl
  if ! s3_answers && s3_port_open; then
    # Something holds the port but does not answer like a healthy s3rver (e.g. one whose data folder was deleted):
    # stop it so a healthy one can start.
    log "s3rver on 127.0.0.1:$S3_PORT does not answer correctly; restarting it"
    pkill -f "s3rver.js .*--port $S3_PORT" || true
    wait_until "the old s3rver to exit" 15 s3_port_closed || die "could not stop the process on 127.0.0.1:$S3_PORT"
  fi
  if ! s3_answers; then
    command -v node >/dev/null && command -v npm >/dev/null || ensure_packages nodejs npm
    local installed
    installed="$(node -p "require('$S3_TOOL_DIR/node_modules/s3rver/package.json').version" 2>/dev/null || true)"
    if [[ "$installed" != "$S3_VERSION" ]]; then
      log "installing s3rver $S3_VERSION into ${S3_TOOL_DIR#"$ROOT"/}"
      mkdir -p "$S3_TOOL_DIR"
      npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$S3_TOOL_DIR" "s3rver@$S3_VERSION" \
        </dev/null >/dev/null || die "npm install s3rver@$S3_VERSION failed"
    fi
    mkdir -p "$S3_DATA_DIR"
    log "starting s3rver"
    # setsid: the server outlives this script and does not hold its stdout/stderr. s3rver makes ListObjectsV2
    # continuation tokens with DES, which Node's OpenSSL 3 offers only through its legacy provider (otherwise
    # every truncated V2 listing answers 500).
    NODE_OPTIONS=--openssl-legacy-provider setsid node "$S3_TOOL_DIR/node_modules/s3rver/bin/s3rver.js" --directory "$S3_DATA_DIR" \
      --address 127.0.0.1 --port "$S3_PORT" --silent </dev/null >>"$S3_LOG" 2>&1 &
    wait_until "s3rver on 127.0.0.1:$S3_PORT" "$TIMEOUT" s3_answers \
      || s3_fail "s3rver does not answer on 127.0.0.1:$S3_PORT"
  fi

  ready s3 "s3rver on http://127.0.0.1:$S3_PORT (access key $S3_ACCESS_KEY)"
  add_env BACBOS_TEST_S3 "http://127.0.0.1:$S3_PORT"
  add_env BACBOS_TEST_S3_ACCESS_KEY "$S3_ACCESS_KEY"
  add_env BACBOS_TEST_S3_SECRET_KEY "$S3_SECRET_KEY"
}

# ------------------------------------------------------------------------------------------------ tools

# Command-line tools the tests use directly (dnsmasq for the DNS driver's tests, git for the GitOps driver's).
server_tools() {
  # poppler-utils: pdftotext reads the PDFs we render; fonts-dejavu-core: the face PDFsharp embeds (Rendering/PdfFonts).
  ensure_packages dnsmasq-base git poppler-utils fonts-dejavu-core
  ready tools "$(dnsmasq --version | head -n1 | cut -d" " -f1-3), $(git --version)"
}

# ------------------------------------------------------------------------------------------------- SMTP

# A real SMTP server for the invoicing tests: aiosmtpd from Debian's python3-aiosmtpd under Debian's own interpreter
# (the python3 first on PATH may be another install that does not see Debian's modules), with its Mailbox handler:
# every message received is written as one file into the Maildir below (new/), where the tests read it back.
SMTP_PORT="${BACBOS_SMTP_PORT:-8025}"
SMTP_MAILDIR="${BACBOS_SMTP_MAILDIR:-/var/lib/bacbos/smtp/maildir}"
SMTP_LOG="/var/log/bacbos-smtp.log"

smtp_answers() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT" || exit 1
    IFS= read -r -t 3 banner <&3 || exit 1
    printf 'QUIT\r\n' >&3
    [[ "$banner" == 220* ]]
  ) 2>/dev/null
}

server_smtp() {
  ensure_packages python3-aiosmtpd
  mkdir -p "$SMTP_MAILDIR"/{tmp,new,cur}   # a Maildir; Python's mailbox module makes these only for a folder it creates itself
  if ! smtp_answers; then
    log "starting aiosmtpd"
    setsid /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$SMTP_MAILDIR" \
      </dev/null >>"$SMTP_LOG" 2>&1 &
    wait_until "aiosmtpd on 127.0.0.1:$SMTP_PORT" "$TIMEOUT" smtp_answers || {
      tail -n 20 "$SMTP_LOG" >&2 2>/dev/null || true
      die "aiosmtpd does not answer on 127.0.0.1:$SMTP_PORT (log: $SMTP_LOG)"
    }
  fi

  ready smtp "aiosmtpd on 127.0.0.1:$SMTP_PORT (Maildir $SMTP_MAILDIR)"
  add_env BACBOS_TEST_SMTP "127.0.0.1:$SMTP_PORT"
  add_env BACBOS_TEST_SMTP_MAILDIR "$SMTP_MAILDIR"
}

# ------------------------------------------------------------------------------------------------- main

write_env() {
  mkdir -p "$(dirname "$ENV_FILE")"
  local tmp="$ENV_FILE.$$" name
  {
    echo "# Written by scripts/servers.sh; source it before running tests against the real servers."
    for name in "${ENV_NAMES[@]}"; do
      printf 'export %s="%s"\n' "$name" "${ENV_VALUES[$name]}"
    done
  } >"$tmp"
  mv -f "$tmp" "$ENV_FILE"

  echo
  echo "Test environment (also in ${ENV_FILE#"$ROOT"/}):"
  for name in "${ENV_NAMES[@]}"; do
    printf '  %s="%s"\n' "$name" "${ENV_VALUES[$name]}"
  done
}

main() {
  [[ "$(id -u)" == 0 ]] || die "run as root (installs packages and starts system servers)"

  # Two checkouts (or a developer and CI) may run this at once; starting a server twice races. Re-run under
  # flock(1) with -o: the lock stays with the flock process, so the daemons started here do not inherit it.
  if [[ "${BACBOS_SERVERS_LOCKED:-}" != "$LOCK_FILE" ]]; then
    local rc=0
    BACBOS_SERVERS_LOCKED="$LOCK_FILE" flock -o -w "$((TIMEOUT * 3))" -E 75 "$LOCK_FILE" \
      "${BASH:-bash}" "${BASH_SOURCE[0]}" "$@" || rc=$?
    ((rc != 75)) || die "timed out waiting for another scripts/servers.sh to finish (lock $LOCK_FILE)"
    exit "$rc"
  fi

  local server
  for server in "${SERVERS[@]}"; do
    "server_$server"
  done
  write_env
}

main "$@"
