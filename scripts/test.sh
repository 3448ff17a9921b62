#!/usr/bin/env bash
# The test command. Installs and starts the servers (scripts/servers.sh), builds the solution in Release,
# runs every test project, and ends with one line "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test`, e.g.:  scripts/test.sh --filter "FullyQualifiedName~Activation"
# Two runs: everything but Category=Faults over the solution, then the fault suite alone (see below).
# Exit status: non-zero if the build or any test failed, or if no test ran at all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULTS=.tmp/test-results

bash scripts/servers.sh
# shellcheck source=/dev/null
source .tmp/test-env.sh

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

dotnet build BacBos.sln -c Release -nologo

# The fault suite (tests marked Category=Faults: processes killed, RabbitMQ and PostgreSQL stopped and restarted)
# disturbs the shared servers, so it runs alone, as a second and final `dotnet test`, after everything else.
# A user --filter is combined with each run's own filter; every other argument goes to both runs.
user_filter=""
args=()
while (($#)); do
  case "$1" in
    --filter) user_filter="${2:-}"; shift $(($# > 1 ? 2 : 1)) ;;
    --filter=*) user_filter="${1#--filter=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
with_user_filter() { if [[ -n "$user_filter" ]]; then printf '(%s)&(%s)' "$user_filter" "$1"; else printf '%s' "$1"; fi; }

status=0
dotnet test BacBos.sln -c Release --no-build -nologo \
  --results-directory "$RESULTS" \
  --logger trx \
  --logger "console;verbosity=normal" \
  --filter "$(with_user_filter 'Category!=Faults')" \
  ${args[@]+"${args[@]}"} || status=$?

fault_status=0
dotnet test tests/BacBos.Integration.Tests -c Release --no-build -nologo \
  --results-directory "$RESULTS" \
  --logger trx \
  --logger "console;verbosity=normal" \
  --filter "$(with_user_filter 'Category=Faults')" \
  ${args[@]+"${args[@]}"} || fault_status=$?
if ((fault_status != 0)); then
  echo "ERROR: the fault suite (Category=Faults) exited with status $fault_status" >&2
  ((status != 0)) || status=$fault_status
fi

# Count the results in every trx file (one per test project and run). Any python3 will do (standard library only).
python="$(command -v python3 || echo /usr/bin/python3)"
counts="$("$python" - "$RESULTS" <<'PY'
import glob, sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
failures = []
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    # Count each test result's outcome: the summary counters do not report xunit's skipped tests.
    for result in ET.parse(path).getroot().iter(ns + "UnitTestResult"):
        outcome = result.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive"):
            skipped += 1
        else:
            failed += 1
            message = result.find(f"{ns}Output/{ns}ErrorInfo/{ns}Message")
            text = (message.text or "").strip() if message is not None else ""
            failures.append((result.get("testName", "?"), result.get("duration", "?"), text))
# Repeat the failures at the very end of the output (stderr), where a CI log's tail will show them.
for name, duration, text in failures:
    lines = text.splitlines()
    shown = "\n    ".join(lines[:12]) + ("\n    ..." if len(lines) > 12 else "")
    print(f"FAILED {name} [{duration}]\n    {shown}", file=sys.stderr)
print(passed, failed, skipped)
PY
)" || { echo "ERROR: could not read the trx files in $RESULTS" >&2; exit 1; }
read -r passed failed skipped <<<"$counts"

if ((passed + failed == 0)); then
  echo "ERROR: zero tests ran (no test project, or the filter matched nothing)" >&2
  ((status != 0)) || status=1
elif ((failed > 0 && status == 0)); then
  status=1
elif ((status != 0)); then
  echo "ERROR: dotnet test exited with status $status" >&2
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
