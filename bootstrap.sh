#!/usr/bin/env bash
# Set everything up in a virtual environment (.venv), then run what you ask for:
#
#   ./bootstrap.sh demo [options]   the main job on the embedded synthetic dataset (`cxr_run --help` lists the options)
#   ./bootstrap.sh test             nbdev_test on every notebook, plus the checks that notebooks and library are in sync
#   ./bootstrap.sh setup            only the set-up
#   ./bootstrap.sh run CMD ...      any command inside the environment, e.g. `./bootstrap.sh run jupyter lab`
#
# Needs only Python 3.10+ and git. Environment variables:
#   PYTHON          the interpreter that makes the venv (default: python3)
#   CXR_VENV        where the venv goes (default: .venv)
#   CXR_NOTES_HOME  where datasets and weights are cached (default here: .cache/cxr_notes in this folder)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  demo|test|setup|run) ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

PY=${PYTHON:-python3}
VENV=${CXR_VENV:-.venv}
command -v "$PY" >/dev/null || { echo "bootstrap: no '$PY' on PATH; install Python 3.10 or newer, or set PYTHON" >&2; exit 1; }
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
  { echo "bootstrap: $("$PY" --version 2>&1) is too old; cxr_notes needs Python 3.10 or newer (set PYTHON)" >&2; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating the virtual environment $VENV"
  "$PY" -m venv "$VENV"
fi
# Re-install only when the package metadata changed since the last install.
stamp=$(cat settings.ini setup.py pyproject.toml | "$VENV/bin/python" -c 'import hashlib,sys; print(hashlib.sha1(sys.stdin.buffer.read()).hexdigest())')
if [ "$(cat "$VENV/.cxr_notes_installed" 2>/dev/null)" != "$stamp" ]; then
  echo "bootstrap: installing cxr_notes and its development stack into $VENV (the first time takes a few minutes)"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
  echo "$stamp" > "$VENV/.cxr_notes_installed"
  echo "bootstrap: installed in ${SECONDS} s"
fi

export CXR_NOTES_HOME=${CXR_NOTES_HOME:-$PWD/.cache/cxr_notes}
export PATH="$PWD/$VENV/bin:$PATH"
case "$cmd" in
  setup) echo "bootstrap: ready. Activate with: source $VENV/bin/activate" ;;
  demo)  exec cxr_run "$@" ;;
  test)  exec python tools/run_tests.py "$@" ;;
  run)   exec "$@" ;;
esac
