"""How fast `cxr_prepare` shrinks NIH-sized images: 1024x1024 8-bit PNGs to 320 px, with 1 and with all workers,
and how fast a resumed run skips what is done.

    python benchmarks/prepare_speed.py [--n 200] [--size 320] [--repeats 2]

The source images are synthetic chest X-rays drawn at 1024 px (NIH's size), written as PNGs. They are read once
before timing, so that every configuration finds them in the page cache alike; each configuration is timed
`repeats` times and the best counts.
"""
import argparse, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _record import record, parse
from cxr_notes.dataset import make_synthetic_dataset
from cxr_notes.transforms import prepare_images

p = argparse.ArgumentParser(); p.add_argument('--n', type=int, default=200); p.add_argument('--size', type=int, default=320)
p.add_argument('--repeats', type=int, default=2)
a = parse(p, smoke=dict(n=6, size=64, repeats=1))
src = make_synthetic_dataset(n_images=a.n, size=1024, seed=7).attrs['path']/'images'   # cached after the first run
files = sorted(src.glob('*.png'))
mb = sum(len(f.read_bytes()) for f in files)/1e6        # read once: the timings below start from the page cache alike
figs = dict(source_images=len(files), source_px=1024, source_mb=round(mb, 1), target_px=a.size)
for w in sorted({1, os.cpu_count()}):
    best = None
    for _ in range(a.repeats):
        with tempfile.TemporaryDirectory() as d:
            t = time.perf_counter(); r = prepare_images(src, Path(d)/'out', a.size, n_workers=w if w > 1 else 0, show=False); dt = time.perf_counter() - t
            t = time.perf_counter(); r2 = prepare_images(src, Path(d)/'out', a.size, n_workers=w if w > 1 else 0, show=False); dt2 = time.perf_counter() - t
            out_mb = sum(f.stat().st_size for f in (Path(d)/'out').glob('*.png'))/1e6
        if best is None or dt < best['seconds']:
            best = dict(prepared=r['prepared'], seconds=round(dt, 2), images_per_second=round(r['prepared']/dt, 1),
                        resume_seconds=round(dt2, 3), resume_skipped=r2['skipped'], output_mb=round(out_mb, 1))
    figs[f'{w}_workers'] = best
fastest = max(v['images_per_second'] for k, v in figs.items() if k.endswith('_workers'))
figs['nih_112120_images_estimated_minutes'] = round(112120/fastest/60, 1)
record('prepare_speed', figs, f'python benchmarks/prepare_speed.py --n {a.n} --size {a.size} --repeats {a.repeats}')
