#!/usr/bin/env bash
# The package: `python -m build` gives a wheel; a clean virtual environment installs it with plain `pip install`;
# `import cxr_notes` and every console script work from it, without nbdev.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python -m build --wheel --outdir "$work/dist" . >/dev/null
whl=$(ls "$work"/dist/cxr_notes-*.whl)
echo "built $(basename "$whl")"
# its metadata says what settings.ini says: the development status, the project URLs, the licence, the tested Python
python3 - "$whl" <<'PY'
import sys, zipfile, configparser
cfg = configparser.ConfigParser(delimiters=['=']); cfg.read('settings.ini'); cfg = cfg['DEFAULT']
z = zipfile.ZipFile(sys.argv[1]); meta = z.read(next(n for n in z.namelist() if n.endswith('.dist-info/METADATA'))).decode()
lines = meta.splitlines()
status = [l for l in lines if l.startswith('Classifier: Development Status ::')]
assert status == [f"Classifier: Development Status :: {cfg['status']} - " + status[0].split(' - ', 1)[1]], status
urls = {l.split(': ', 1)[1].split(',')[0] for l in lines if l.startswith('Project-URL:')}
assert {'Documentation', 'Source', 'Issues', 'Changelog'} <= urls, urls
assert 'License-Expression: Apache-2.0' in lines, [l for l in lines if 'icense' in l]
print('metadata: ' + status[0].split(':: ')[1] + '; project URLs ' + ', '.join(sorted(urls)))
PY
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$whl"
export CXR_MODULES="$(cd cxr_notes && ls *.py | grep -v '^_' | sed 's/[.]py$//' | LC_ALL=C sort | tr '\n' ' ')"   # the checkout's modules
cd "$work"   # so that Python imports cxr_notes from the wheel, not from this checkout
"$work/venv/bin/python" - <<'PY'
import importlib, importlib.util, pkgutil
assert importlib.util.find_spec('nbdev') is None, 'nbdev should not be installed by the wheel'
import cxr_notes, fastai, fastcore, torch
mods = [m.name for m in pkgutil.iter_modules(cxr_notes.__path__) if not m.name.startswith('_')]   # every module the wheel ships
import os
assert sorted(mods) == os.environ['CXR_MODULES'].split(), f"the wheel ships {sorted(mods)}, the checkout has {os.environ['CXR_MODULES']}"
for m in mods: importlib.import_module(f'cxr_notes.{m}')
print(f"{len(mods)} modules import: {', '.join(mods)}")
print(f"cxr_notes {cxr_notes.__version__} imports with fastai {fastai.__version__}, fastcore {fastcore.__version__}, torch {torch.__version__}")
PY
for c in cxr_run cxr_predict cxr_prepare; do "$work/venv/bin/$c" --help >/dev/null && echo "$c --help: ok"; done
# a real command from the wheel: prepare two images
mkdir -p "$work/src"
"$work/venv/bin/python" -c "
from PIL import Image; import numpy as np
for i in range(2): Image.fromarray((np.random.default_rng(i).random((100, 100))*255).astype('uint8')).save('$work/src/%08d_000.png' % i)"
"$work/venv/bin/cxr_prepare" "$work/src" "$work/small" --size 32
[ "$(ls "$work/small"/*.png | wc -l)" = 2 ]
