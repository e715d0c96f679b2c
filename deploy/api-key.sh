#!/usr/bin/env bash
# Makes a server API key: prints the secret (give it to the backend, once) and the configuration that lets it in
# (only the SHA-256 of the secret is stored in the configuration).
#   deploy/api-key.sh NAME [SCOPE...]     scopes: publish rooms users read webhooks (default: publish read)
set -euo pipefail
name="${1:?usage: deploy/api-key.sh NAME [SCOPE...]}"
shift
scopes=("$@")
if [[ ${#scopes[@]} -eq 0 ]]; then scopes=(publish read); fi
if [[ ! "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]]; then
  echo "NAME must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\$" >&2
  exit 2
fi
for scope in "${scopes[@]}"; do
  case "$scope" in publish|rooms|users|read|webhooks) ;; *) echo "unknown scope '$scope'" >&2; exit 2 ;; esac
done
secret="ack_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
hash="$(printf '%s' "$secret" | sha256sum | cut -d' ' -f1)"
echo "secret: $secret"
echo "hash:   $hash"
echo
echo "# environment variables (index 0: use the next free index for more keys)"
echo "ActorChat__ServerApi__Keys__0__Name=$name"
echo "ActorChat__ServerApi__Keys__0__Hash=$hash"
i=0
for scope in "${scopes[@]}"; do
  echo "ActorChat__ServerApi__Keys__0__Scopes__${i}=$scope"
  i=$((i + 1))
done
