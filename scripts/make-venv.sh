#!/usr/bin/env bash
# Create the project's virtual environment. Debian ships venv and pip separately from python3,
# so install python3-venv when the first attempt fails and we are allowed to.
set -euo pipefail
python=$1
venv=$2
if "$python" -m venv "$venv" 2>/dev/null; then
  exit 0
fi
rm -rf "$venv"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "python3 cannot create a virtual environment; installing python3-venv" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip >/dev/null
  "$python" -m venv "$venv"
else
  echo "error: '$python -m venv' failed; install your distribution's python3-venv package and retry" >&2
  exit 1
fi
