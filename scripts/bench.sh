#!/usr/bin/env bash
# The benchmark command. Installs and starts the servers the way the test script does (scripts/servers.sh), installs
# the load tools from Debian's packages when missing (wrk; nginx for the proxy baseline — only the binary: the runner
# starts its own nginx on a loopback port with a config in a temp folder, never the system service), builds in
# Release, runs every scenario with its same-run baseline, then the BenchmarkDotNet micro-benchmarks.
#
#   scripts/bench.sh                      full run: table on stdout, benchmarks/results/latest.{json,md} + micro.md
#   scripts/bench.sh --smoke              every scenario with tiny counts (seconds each), results in .tmp/bench-smoke/
#   scripts/bench.sh --only saga,gateway  some scenarios (saga, activation, gateway, webhook, embedded, documents, export)
#
# Other runner options: --out DIR, --load-generator auto|wrk|inprocess, --no-nginx. All traffic stays on 127.0.0.1;
# every load is bounded in time and count. Exit status: non-zero when any scenario failed its correctness check.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=$SECONDS
log() { printf '[bench.sh] %s\n' "$*" >&2; }

bash scripts/servers.sh >&2
# shellcheck source=/dev/null
source .tmp/test-env.sh

# wrk and nginx from Debian, only if missing (needs root; without them the runner falls back to its in-process load
# generator and skips the nginx row).
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
# Scenario 6's peers: pandoc (Markdown → HTML/DOCX) and LibreOffice headless (→ PDF), benchmark only — the tests do
# not need them. LibreOffice takes ~400 MB, so only with room to spare; without it that row is skipped with the reason.
command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
if ! command -v soffice >/dev/null 2>&1; then
  if (($(df --output=avail -k . | tail -1) > 2 * 1024 * 1024)); then
    missing+=(libreoffice-writer-nogui)
  else
    log "less than 2 GB free: not installing LibreOffice (the export scenario skips its PDF baseline)"
  fi
fi
if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" == 0 ]]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >/dev/null
    apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${missing[@]}" </dev/null >/dev/null
  else
    log "not root: cannot install ${missing[*]}; the runner falls back / skips those rows"
  fi
fi

# yjs, the peer of the documents scenario, from npm into .tmp/bench-node (ignored by git), only if missing.
if command -v npm >/dev/null 2>&1 && [[ ! -f .tmp/bench-node/node_modules/yjs/package.json ]]; then
  log "installing yjs into .tmp/bench-node"
  mkdir -p .tmp/bench-node
  npm install --prefix .tmp/bench-node --no-audit --no-fund --silent yjs@13.6.33 </dev/null >&2 \
    || log "npm install yjs failed: the documents.yjs row is skipped"
fi

log "building (Release)"
dotnet build benchmarks/BacBos.Benchmarks/BacBos.Benchmarks.csproj -c Release -nologo -v quiet >&2

runner=benchmarks/BacBos.Benchmarks/bin/Release/net10.0/BacBos.Benchmarks.dll
status=0
timeout --kill-after=30s 25m dotnet "$runner" run "$@" || status=$?

# The micro-benchmarks belong to the complete default run only (about a minute).
complete=1
for arg in "$@"; do
  [[ "$arg" == "--smoke" || "$arg" == "--only" || "$arg" == "--out" ]] && complete=0
done
if ((complete == 1)); then
  log "micro-benchmarks (BenchmarkDotNet)"
  timeout --kill-after=30s 10m dotnet "$runner" micro --out benchmarks/results/micro.md >.tmp/bench-micro.log 2>&1 \
    || { log "micro-benchmarks failed (see .tmp/bench-micro.log)"; status=1; }
fi

log "done in $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s (status $status)"
exit "$status"
