#!/usr/bin/env bash
# Prepares this machine for Switchboard, idempotently: Debian packages (PostgreSQL and
# Redis; for the tests also Chromium, Dovecot and nginx), the FerretDB launcher (Go build)
# and the npm packages.
# Usage: scripts/setup.sh [--test]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

want=()
command -v redis-server >/dev/null || want+=(redis-server)
# Debian keeps PostgreSQL's server binaries under /usr/lib/postgresql/<major>/bin.
if [[ "${SB_FERRETDB_HANDLER:-postgresql}" == postgresql ]]; then
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || command -v postgres >/dev/null || want+=(postgresql)
fi
if [[ "${1:-}" == "--test" ]]; then
  command -v chromium >/dev/null || want+=(chromium)
  command -v dovecot >/dev/null || want+=(dovecot-imapd dovecot-lmtpd)
  # The scale test runs nginx (deploy/nginx.conf) in front of several gateways.
  [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || want+=(nginx)
  # Fonts for emoji and Chinese in the browser tests' screenshots.
  dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || want+=(fonts-noto-color-emoji)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || want+=(fonts-noto-cjk)
fi
if ((${#want[@]})); then
  echo "setup: installing ${want[*]} from Debian" >&2
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${want[@]}" >/dev/null
fi

bash scripts/services.sh build

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund
fi
