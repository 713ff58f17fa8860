"""How fast `cxr_prepare` shrinks NIH-sized images: 1024x1024 8-bit PNGs to 320 px, with 1 and with all workers,
and how fast a resumed run skips what is done.

    python benchmarks/prepare_speed.py [--n 200] [--size 320]

The source images are synthetic chest X-rays drawn at 1024 px (NIH's size), written as PNGs.
"""
import argparse, os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _record import record
from cxr_notes.synth import make_synthetic_dataset
from cxr_notes.cli import prepare_images

p = argparse.ArgumentParser(); p.add_argument('--n', type=int, default=200); p.add_argument('--size', type=int, default=320); a = p.parse_args()
src = make_synthetic_dataset(n_images=a.n, size=1024, seed=7).attrs['path']/'images'   # cached after the first run
mb = sum(f.stat().st_size for f in src.glob('*.png'))/1e6
figs = dict(source_images=a.n, source_px=1024, source_mb=round(mb, 1), target_px=a.size)
for w in sorted({1, os.cpu_count()}):
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter(); r = prepare_images(src, Path(d)/'out', a.size, n_workers=w if w > 1 else 0, progress=False); dt = time.perf_counter() - t
        t = time.perf_counter(); r2 = prepare_images(src, Path(d)/'out', a.size, n_workers=w if w > 1 else 0, progress=False); dt2 = time.perf_counter() - t
        out_mb = sum(f.stat().st_size for f in (Path(d)/'out').glob('*.png'))/1e6
    figs[f'{w}_workers'] = dict(prepared=r['prepared'], seconds=round(dt, 2), images_per_second=round(r['prepared']/dt, 1),
                                resume_seconds=round(dt2, 3), resume_skipped=r2['skipped'], output_mb=round(out_mb, 1))
best = max(v['images_per_second'] for k, v in figs.items() if k.endswith('_workers'))
figs['nih_112120_images_estimated_minutes'] = round(112120/best/60, 1)
record('prepare_speed', figs, f'python benchmarks/prepare_speed.py --n {a.n} --size {a.size}')
