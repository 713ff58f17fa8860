"""How fast the embedded synthetic dataset is drawn: images per second at 256 px, with 1 and with all workers.

    python benchmarks/synth_speed.py [--n_images 1000]

Each run draws a fresh dataset into a temporary folder (no cache), PNG writing and tables included.
"""
import argparse, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _record import record, parse
from cxr_notes.dataset import make_synthetic_dataset
from cxr_notes.synth import lung_bank

p = argparse.ArgumentParser(); p.add_argument('--n_images', type=int, default=1000); p.add_argument('--size', type=int, default=256)
a = parse(p, smoke=dict(n_images=10, size=64))
lung_bank()   # built once per cache; not part of the timing
with tempfile.TemporaryDirectory() as d: make_synthetic_dataset(Path(d)/'w', n_images=10, size=a.size, n_workers=0)   # imports, untimed
figs = {}
for workers in sorted({1, os.cpu_count()}):
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        df = make_synthetic_dataset(Path(d)/'s', n_images=a.n_images, size=a.size, n_workers=workers)
        dt = time.perf_counter() - t
    figs[f'{workers}_workers'] = dict(images=len(df), seconds=round(dt, 2), images_per_second=round(len(df)/dt, 1),
                                      ms_per_image=round(1000*dt/len(df), 2))
record('synth_speed', dict(size=a.size, **figs), f'python benchmarks/synth_speed.py --n_images {a.n_images} --size {a.size}')
