#!/usr/bin/env bash
# `make lab`: JupyterLab on the tour, listening on 127.0.0.1 only. Containers and classroom VMs
# often run as root, where Jupyter refuses to start without --allow-root: pass it there.
# Extra arguments go to `jupyter lab` (the test adds --no-browser and a port).
set -euo pipefail
cd "$(dirname "$0")/.."
args=(--ServerApp.ip=127.0.0.1)
if [ "$(id -u)" = 0 ]; then
  args+=(--allow-root)
fi
exec "${PYTHON:-python3}" -m jupyter lab "${args[@]}" "$@" notebooks/tour.ipynb
