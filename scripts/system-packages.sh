#!/usr/bin/env bash
# Step of `npm run test:all`: the end-to-end tests need two programs from Debian's packages,
# redis-server (n8n's queue mode) and chromium (the n8n editor in a browser). Installs whichever
# is missing (as root, or with sudo), and says what it did.
set -euo pipefail
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then
	echo "[system-packages] redis-server and chromium are installed"
	exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "[system-packages] installing ${missing[*]} from Debian's packages (apt-get update, then apt-get install) ..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "[system-packages] installed ${missing[*]}"
