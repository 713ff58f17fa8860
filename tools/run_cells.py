"""Execute a notebook's code cells in order, without Jupyter, up to and including the first cell that contains MARKER
(default: to the end), then, with `--exec CODE`, CODE in the same namespace. For computing a tutorial's cached runs on a
machine with no Jupyter (a lent GPU):
    python tools/run_cells.py nbs/tutorials/resolution.ipynb "cached_result("
    python tools/run_cells.py nbs/tutorials/resolution.ipynb "def run_key" --exec "for r in range(RUNS): draw(r)"
The notebook itself is not changed; execute it with Jupyter afterwards to render its outputs from the cache."""
import argparse, json, sys, time
import matplotlib; matplotlib.use('Agg')
p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
p.add_argument('path'); p.add_argument('stop', nargs='?', default=None)
p.add_argument('--exec', dest='code', default=None, help='Python to run after the cells, in their namespace')
a = p.parse_args()
g = {'__name__': '__main__'}
for c in json.load(open(a.path))['cells']:
    if c['cell_type'] != 'code': continue
    s = ''.join(c['source'])
    if 'nbdev_export' in s: continue
    t = time.time(); exec(compile(s, a.path, 'exec'), g)
    print(f'[cell done in {time.time() - t:.1f} s] {s.splitlines()[0][:60]}', flush=True)
    if a.stop and a.stop in s: break
else:
    if a.stop: sys.exit(f"no code cell of {a.path} contains {a.stop!r}: ran them all, and not --exec")
if a.code:
    t = time.time(); exec(compile(a.code, '--exec', 'exec'), g)
    print(f'[--exec done in {time.time() - t:.1f} s]', flush=True)
