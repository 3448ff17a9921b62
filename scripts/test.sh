#!/usr/bin/env bash
# The test command: installs and starts the servers the tests need, builds, runs every test project, and prints
# "N passed, N failed, N skipped". Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Saga").
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/servers.sh
# shellcheck source=/dev/null
source .tmp/test-env.sh

results=.tmp/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build BacBos.sln -c Release -nologo -v quiet
status=0
dotnet test BacBos.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" || status=$?

# One summary line over every project's trx file.
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    if counters is None:
        continue
    p += int(counters.get("passed", 0))
    f += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    s += int(counters.get("notExecuted", 0))
print(p, f, s)
PY
)
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if (( status == 0 && passed == 0 )); then
  echo "ERROR: no test ran" >&2
  exit 1
fi
exit "$status"
