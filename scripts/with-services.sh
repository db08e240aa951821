#!/usr/bin/env bash
# Runs a command with the local services up, and afterwards stops the services that this
# call started (ones already running, or external through MONGO_URL/REDIS_URL, are left
# alone), also when the command fails or is interrupted.
# Usage: scripts/with-services.sh COMMAND [ARG...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES="$ROOT/scripts/services.sh"

before="$(bash "$SERVICES" running)"
stop_started() {
  local name
  for name in $(bash "$SERVICES" running); do
    grep -qx "$name" <<<"$before" || bash "$SERVICES" stop "$name"
  done
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash "$SERVICES" start
"$@"
