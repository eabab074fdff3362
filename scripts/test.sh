#!/usr/bin/env bash
# Installs everything the tests need, then lints, type-checks and runs every test.
# Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium for the browser tests, and fonts so screenshots show Chinese and emoji.
DEBIAN_PACKAGES=(chromium fonts-wqy-microhei fonts-noto-color-emoji)
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js and npm run Tencent's Node.js SDK against the sandbox (tests/node).
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== installing Python test requirements"
python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# The project itself, editable: its packages import from anywhere, no path tricks.
python3 -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .

echo "== installing Node.js test requirements (tests/node, pinned by its package-lock.json)"
npm ci --prefix tests/node --no-audit --no-fund --loglevel=error

echo "== ruff (lint and format)"
python3 -m ruff check .
python3 -m ruff format --check .

echo "== mypy (settings and checked folders in pyproject.toml)"
python3 -m mypy

echo "== pytest"
python3 -m pytest "$@"
