#!/usr/bin/env bash
# The whole test suite, as CI runs it: style check, Release build, every test project.
# Installs or starts whatever the tests need; safe to run on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Redis for the cluster tests (real processes): installed from Debian's packages when missing.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "== installing redis-server"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi

echo "== restore"
dotnet restore ActorChat.sln --nologo -v quiet

echo "== format check"
dotnet format ActorChat.sln --verify-no-changes --no-restore -v quiet

echo "== build"
dotnet build ActorChat.sln -c Release --no-restore --nologo -v quiet -clp:ErrorsOnly

echo "== test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# Detailed console output shows what tests print (the fail-over counts, for one).
dotnet test ActorChat.sln -c Release --no-build --nologo --logger "console;verbosity=detailed" "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole suite, summed over the test assemblies.
count() { { grep -E "^ +$1 [A-Za-z_.]+" "$log" || true; } | wc -l; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
