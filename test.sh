#!/usr/bin/env bash
# The whole test suite, as CI runs it: style check, Release build, every test project.
# Installs or starts whatever the tests need; safe to run on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# What the tests need from Debian, installed when missing: Redis and PostgreSQL for the cluster and store tests
# (real processes; each test starts throwaway servers of its own on free ports and stops them by PID), Chromium
# and its ChromeDriver for the browser tests, Node.js for the client library's tests.
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== restore"
dotnet restore ActorChat.sln --nologo -v quiet

echo "== format check"
dotnet format ActorChat.sln --verify-no-changes --no-restore -v quiet

echo "== build"
dotnet build ActorChat.sln -c Release --no-restore --nologo -v quiet -clp:ErrorsOnly

log=$(mktemp)
nodelog=$(mktemp)
trap 'rm -f "$log" "$nodelog"' EXIT
status=0

echo "== client library tests (node)"
(cd clients/js && npm ci --no-audit --no-fund --loglevel=error && node --test test/) 2>&1 | tee "$nodelog" || status=$?

echo "== test"
# Detailed console output shows what tests print (the fail-over counts, for one).
dotnet test ActorChat.sln -c Release --no-build --nologo --logger "console;verbosity=detailed" "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole suite, summed over the test assemblies.
count() { { grep -E "^ +$1 [A-Za-z_.]+" "$log" || true; } | wc -l; }
nodecount() { { grep -E "^# $1 [0-9]+" "$nodelog" || echo "# $1 0"; } | tail -1 | awk '{print $3}'; }
passed=$(( $(count Passed) + $(nodecount pass) ))
failed=$(( $(count Failed) + $(nodecount fail) ))
skipped=$(( $(count Skipped) + $(nodecount skipped) ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# CI shows only the end of the output: repeat what failed, crashed or aborted, with the node tests' failures.
if [ "$status" -ne 0 ]; then
  echo "== what failed"
  grep -E "^ +Failed [A-Za-z_.]+|Test Run Aborted|Test host process crashed|The active test run was aborted|error MSB|^not ok" "$log" "$nodelog" | head -40 || true
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
