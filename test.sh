#!/usr/bin/env bash
# The whole test suite, as CI runs it: style check, Release build, every test project.
# Installs or starts whatever the tests need; safe to run on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

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
dotnet test ActorChat.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole suite, summed over the test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
