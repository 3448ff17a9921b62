#!/usr/bin/env bash
# Installs (Debian packages) and starts the servers the tests need, then writes their addresses to .tmp/test-env.sh.
# Idempotent: a second run only checks that everything answers. No systemd here: each server is started by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp

log() { printf '[servers] %s\n' "$*"; }

wait_for() { # description timeout-seconds command...
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then log "ERROR: $what did not become ready within ${timeout}s"; return 1; fi
    sleep 0.5
  done
}

APT_UPDATED=0
apt_install() { # package...
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  (( ${#missing[@]} == 0 )) && return 0
  if (( APT_UPDATED == 0 )); then log "apt-get update"; apt-get update -qq; APT_UPDATED=1; fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_postgres() {
  apt_install postgresql
  local version; version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster "$version" main start || true
  fi
  wait_for "PostgreSQL" 60 pg_isready -q -h 127.0.0.1 -p 5432
  su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bacbos') THEN
    CREATE ROLE bacbos LOGIN SUPERUSER PASSWORD 'bacbos';
  END IF;
END $$;
SQL
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'bacbos'\"" | grep -q 1 \
    || su postgres -c "createdb -O bacbos bacbos"
  # Many test databases and connections from several processes at once.
  local conf="/etc/postgresql/$version/main/postgresql.conf"
  if ! grep -q '^max_connections = 300' "$conf"; then
    sed -i 's/^#\?max_connections = .*/max_connections = 300/' "$conf"
    pg_ctlcluster "$version" main restart
    wait_for "PostgreSQL" 60 pg_isready -q -h 127.0.0.1 -p 5432
  fi
  log "PostgreSQL $version ready on 127.0.0.1:5432"
}

start_rabbitmq() {
  apt_install rabbitmq-server curl
  # The package's own "rabbitmq-server --version" call can leave a node running that answers nothing; end it.
  pkill -f 'rabbitmq-server +--version' 2>/dev/null || true
  pkill -u rabbitmq -f -- '-s rabbit boot.*--version' 2>/dev/null || true
  export HOME=/var/lib/rabbitmq
  rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
  if ! rabbitmqctl -q await_startup --timeout 2 >/dev/null 2>&1; then
    pkill -u rabbitmq beam.smp 2>/dev/null || true
    wait_for "old RabbitMQ node to stop" 30 bash -c '! pgrep -u rabbitmq beam.smp'
    su rabbitmq -s /bin/sh -c 'HOME=/var/lib/rabbitmq rabbitmq-server -detached' >/dev/null 2>&1 || rabbitmq-server -detached
    wait_for "RabbitMQ node" 120 rabbitmqctl -q await_startup --timeout 5
  fi
  wait_for "RabbitMQ management API" 60 curl -sf -u guest:guest http://127.0.0.1:15672/api/overview
  log "RabbitMQ ready on 127.0.0.1:5672 (management 15672)"
}

start_postgres
start_rabbitmq

cat > .tmp/test-env.sh <<'ENV'
export BACBOS_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=bacbos;Password=bacbos;Database=bacbos"
export BACBOS_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:5672/"
export BACBOS_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:15672"
ENV
log "environment for tests: .tmp/test-env.sh"
cat .tmp/test-env.sh
