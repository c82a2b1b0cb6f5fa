#!/usr/bin/env bash
# The test command: sets up PostgreSQL and RabbitMQ, runs every test project against them,
# and ends with one line "N passed, N failed" counted from the test results.
set -euo pipefail
cd "$(dirname "$0")/.."

# CI reads the last line as the count: a setup failure must still end with one.
bash deploy/infra.sh || { echo "infrastructure setup failed"; echo "0 passed, 1 failed"; exit 1; }
# The web view's browser test: Chromium and playwright-core (a failure here fails that test, with a clear message).
bash deploy/browser.sh || echo "browser setup failed: the web view test will fail"
# A database and a vhost of the tests' own, empty at each run: the demo's and the benchmarks' patients and messages stay
# in "recovery". Only when the caller has not chosen them (a store or vhost set here is used as it is, never emptied).
if [[ -z ${RabbitMq__VirtualHost:-} ]]; then
  export RabbitMq__VirtualHost=recovery_tests
  bash deploy/infra.sh fresh-vhost recovery_tests || { echo "test vhost setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi
if [[ -z ${ConnectionStrings__Platform:-} ]]; then
  export ConnectionStrings__Platform="Host=127.0.0.1;Port=5432;Database=recovery_tests;Username=recovery;Password=recovery"
  bash deploy/infra.sh fresh-db recovery_tests || { echo "test database setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi
source deploy/environment.sh

results=.artifacts/test-results
rm -rf "$results"   # stale TRX files must not be counted
rm -rf .artifacts/logs   # the services' logs of this run only (tests/Integration.Tests/HostLogs.cs)
status=0
# Plain "trx": a fixed LogFileName makes every test project overwrite the same file;
# the default names get a [1], [2] suffix instead.
dotnet test Platform.sln -c Release --logger "trx" --results-directory "$results" </dev/null || status=$?

python3 - "$results" "$status" <<'PY' || status=1
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    n = lambda k: int(c.get(k, 0))
    passed += n("passed")
    failed += n("failed") + n("error") + n("timeout") + n("aborted")
    skipped += n("total") - n("executed")   # xUnit skips are counted neither passed nor failed
if not files or passed + failed == 0:
    print("no test results found")
    print("0 passed, 1 failed")  # no results is a failure, not a pass
    sys.exit(1)
if sys.argv[2] != "0" and failed == 0:
    # dotnet test failed without a failing test: a build error or a crashed test host.
    print(f"dotnet test exited with {sys.argv[2]} but no test failed: counting it as one failure")
    failed = 1
if skipped:
    print(f"{skipped} skipped")
print(f"{passed} passed, {failed} failed")  # the last line: CI reads it
sys.exit(1 if failed else 0)
PY
exit $status
