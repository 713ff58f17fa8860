"""How many loader cores one GPU needs on real data: images per second that one CPU core reads, decodes and resizes
to the training size through the cxr_notes item pipeline, against images per second that the GPU trains.

    python benchmarks/loader_capacity.py [--size 320] [--n 48] [--bs 32] [--batches 12]

The NIH films are 1024x1024 8-bit PNGs (the 112,120 files take about 42 GB: some 380 kB each); no NIH image ships with this repository, so the
stand-ins are synthetic films upscaled to 1024 px with film grain added until their PNGs are that large. Measured
for the originals and for copies prepared once at the training size by `prepare_images` (what `cxr_prepare` does).
The GPU part (DenseNet121, in-memory batches, plain float32 and `cxr_learner`'s default precision) runs only where
CUDA is present; elsewhere the record says so.
"""
import argparse, sys, time, tempfile, warnings, os
from pathlib import Path
import numpy as np, pandas as pd, torch
from PIL import Image
sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings('ignore')
from _record import record, parse
from cxr_notes.data import LABELS
from cxr_notes.dataset import make_synthetic_dataset
from cxr_notes.transforms import load_cxr, prepare_images
from cxr_notes.dataloaders import cxr_datablock
from cxr_notes.model import cxr_model
from cxr_notes.precision import default_precision, set_precision

p = argparse.ArgumentParser()
p.add_argument('--size', type=int, default=320); p.add_argument('--n', type=int, default=48)
p.add_argument('--bs', type=int, default=32); p.add_argument('--batches', type=int, default=12)
a = parse(p, smoke=dict(size=64, n=4, bs=2, batches=1))

df = make_synthetic_dataset(**(dict(n_images=20) if a.smoke else {})).iloc[:a.n]
rng = np.random.default_rng(0)
with tempfile.TemporaryDirectory() as d:
    d = Path(d); (d/'nih').mkdir()
    for f in df.Path:   # NIH-sized stand-ins: 1024 px, 8-bit grey, film grain
        big = np.asarray(Image.fromarray(load_cxr(f)).resize((1024, 1024), Image.BICUBIC), dtype=np.float32)
        Image.fromarray(np.clip(big + rng.normal(0, 1.8, big.shape), 0, 255).astype(np.uint8)).save(d/'nih'/Path(f).name)
    kb = np.mean([os.path.getsize(f)/1e3 for f in (d/'nih').iterdir()])
    prepare_images(d/'nih', d/'prepared', size=a.size, n_workers=0, show=False)
    rates = {}
    for name in ('nih', 'prepared'):
        frame = pd.DataFrame({'Path': sorted((d/name).glob('*.png')), **{l: 0 for l in LABELS}})
        dl = cxr_datablock(a.size, splitter=lambda items: (list(range(len(items))), [])).dataloaders(frame, bs=a.bs, num_workers=0, device='cpu').train
        for i in range(4): dl.do_item(i)   # warm
        best = 0
        for rep in range(3):   # one core: the main process, one item after another (as each loader worker does)
            t = time.perf_counter()
            for i in range(len(frame)): dl.do_item(i)
            best = max(best, len(frame)/(time.perf_counter() - t))
        rates[name] = round(best, 1)
    print(f"one core: {rates} images/s at {a.size} px (originals {kb:.0f} kB)", flush=True)

figs = dict(size=a.size, nih_standin_png_kb=round(kb), per_core_images_per_s=dict(nih_1024px_png=rates['nih'], prepared_png=rates['prepared']))
if torch.cuda.is_available():
    dev = torch.device('cuda')
    x = torch.randn(a.bs, 1, a.size, a.size, device=dev); y = (torch.rand(a.bs, 14, device=dev) < 0.1).float()
    gpu = {}
    for prec in ('float32', 'auto'):
        model = cxr_model('densenet121').to(dev); opt = torch.optim.Adam(model.parameters(), 1e-3)
        resolved = default_precision(dev) if prec == 'auto' else 'float32'
        if prec == 'auto': model = model.to(memory_format=torch.channels_last)
        dtype = dict(bf16=torch.bfloat16, fp16=torch.float16).get(resolved)
        scaler = torch.amp.GradScaler('cuda', enabled=dtype == torch.float16)
        times = []
        for b in range(a.batches + 3):
            torch.cuda.synchronize(); t = time.perf_counter()
            with torch.autocast('cuda', dtype=dtype or torch.float32, enabled=dtype is not None):
                loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x).float(), y)
            opt.zero_grad(); scaler.scale(loss).backward(); scaler.step(opt); scaler.update()
            torch.cuda.synchronize(); times.append(time.perf_counter() - t)
        gpu[f"{resolved}{', channels-last' if prec == 'auto' else ''}"] = round(a.bs/np.median(times[3:]), 1)
    fastest = max(gpu.values())
    figs.update(gpu=torch.cuda.get_device_name(), gpu_train_images_per_s=gpu,
                loader_cores_needed=dict(nih_1024px_png=round(fastest/rates['nih'], 1), prepared_png=round(fastest/rates['prepared'], 1)))
else:
    figs.update(gpu=None, note='no CUDA device here: the GPU side was not measured')
record(f'loader_capacity_{a.size}', figs, f'python benchmarks/loader_capacity.py --size {a.size} --n {a.n} --bs {a.bs} --batches {a.batches}')
