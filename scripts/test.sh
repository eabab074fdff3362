#!/usr/bin/env bash
# Installs everything the tests need, then lints and runs every test.
# Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's Chromium for the browser tests"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
  fi
fi

echo "== installing Python test requirements"
python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt

echo "== ruff (lint and format)"
python3 -m ruff check .
python3 -m ruff format --check .

echo "== pytest"
python3 -m pytest "$@"
