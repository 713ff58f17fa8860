"""Execute a notebook's code cells in order, without Jupyter, up to and including the first cell that contains MARKER
(default: to the end). For computing a tutorial's cached runs on a machine with no Jupyter (a lent GPU):
    python tools/run_cells.py nbs/tutorials/resolution.ipynb "cached_result("
The notebook itself is not changed; execute it with Jupyter afterwards to render its outputs from the cache."""
import json, sys, time
import matplotlib; matplotlib.use('Agg')
path, stop = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
g = {'__name__': '__main__'}
for c in json.load(open(path))['cells']:
    if c['cell_type'] != 'code': continue
    s = ''.join(c['source'])
    if 'nbdev_export' in s: continue
    t = time.time(); exec(compile(s, path, 'exec'), g)
    print(f'[cell done in {time.time() - t:.1f} s] {s.splitlines()[0][:60]}', flush=True)
    if stop and stop in s: break
