#!/usr/bin/env bash
# The end-to-end tests need two programs from Debian's packages: redis-server (n8n's queue mode)
# and chromium (the editor in a browser). Installs whichever is missing; a no-op once both are.
set -euo pipefail
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "[system-packages] installing ${missing[*]} from Debian's packages ..." >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
