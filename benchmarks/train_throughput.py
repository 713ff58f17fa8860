"""Training and inference throughput of the cxr_notes pipeline (fastai, PNG files read from disk, augmentation,
per-image normalisation) against a plain PyTorch loop over in-memory tensors, same model, image size and batch size.

    python benchmarks/train_throughput.py [--arch densenet121] [--size 128] [--bs 32] [--batches 12]

Target: the pipeline at 0.9x the plain loop or better, for training and for inference.
"""
import argparse, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd, torch
sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings('ignore')
from _record import record
from fastai.callback.core import Callback
from cxr_notes.data import LABELS, attach_paths
from cxr_notes.synth import make_synthetic_dataset
from cxr_notes.transforms import load_cxr
from cxr_notes.learner import cxr_dataloaders, cxr_learner, cxr_model
from cxr_notes.loss import WeightedBCEWithLogits
from cxr_notes.imbalance import class_weights

p = argparse.ArgumentParser()
p.add_argument('--arch', default='densenet121'); p.add_argument('--size', type=int, default=128)
p.add_argument('--bs', type=int, default=32); p.add_argument('--batches', type=int, default=12); p.add_argument('--warmup', type=int, default=2)
a = p.parse_args()
n = (a.batches + a.warmup)*a.bs

df = make_synthetic_dataset()
df = attach_paths(df, df.attrs['path']/'images').iloc[:n + a.bs]
trva = df.assign(is_valid=[False]*n + [True]*a.bs)
pw, nw = class_weights(df.iloc[:n])

class BatchTimer(Callback):
    "Time each training batch, from fetching it to the optimiser step"
    order = -100
    def before_fit(self): self.t, self.times = None, []
    def before_epoch(self): self.t = time.perf_counter()
    def after_batch(self):
        if self.training: now = time.perf_counter(); self.times.append(now - self.t); self.t = now
    def before_validate(self): raise __import__('fastai').callback.core.CancelValidException()

# --- cxr_notes pipeline: PNGs from disk, augmentation, per-image normalisation, fastai training loop
torch.manual_seed(0)
dls = cxr_dataloaders(trva, size=a.size, bs=a.bs, num_workers=0, shuffle=False)
learn = cxr_learner(dls, a.arch, weights=None, pos_weights=pw, neg_weights=nw, metrics=[])
timer = BatchTimer()
with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3, cbs=timer)
pipe_train = a.bs*len(timer.times[a.warmup:])/sum(timer.times[a.warmup:])

# --- plain PyTorch: the same images as in-memory tensors (resized, normalised once), same model, loss and optimiser
def prep(path):
    x = torch.tensor(load_cxr(path), dtype=torch.float32)[None, None]/255
    x = torch.nn.functional.interpolate(x, size=(a.size, a.size), mode='bilinear', align_corners=False)[0]
    return (x - x.mean())/(x.std() + 1e-6)
X = torch.stack([prep(f) for f in df.Path.iloc[:n]]); Y = torch.tensor(df[LABELS].iloc[:n].to_numpy(), dtype=torch.float32)
torch.manual_seed(0)
model = cxr_model(a.arch); opt = torch.optim.Adam(model.parameters(), 1e-3); loss_fn = WeightedBCEWithLogits(pw, nw)
model.train(); times = []
for b in range(0, n, a.bs):
    t = time.perf_counter()
    loss = loss_fn(model(X[b:b + a.bs]), Y[b:b + a.bs]); opt.zero_grad(); loss.backward(); opt.step()
    times.append(time.perf_counter() - t)
plain_train = a.bs*len(times[a.warmup:])/sum(times[a.warmup:])

# --- inference: fastai get_preds over the files vs a no-grad loop over the tensors
test_dl = dls.test_dl(df.iloc[:n], bs=a.bs)
learn.model.eval()
with learn.no_bar(): learn.get_preds(dl=dls.test_dl(df.iloc[:a.bs*a.warmup], bs=a.bs))
t = time.perf_counter()
with learn.no_bar(): learn.get_preds(dl=test_dl)
pipe_inf = n/(time.perf_counter() - t)
model.eval()
with torch.no_grad():
    for b in range(0, a.bs*a.warmup, a.bs): model(X[b:b + a.bs])
    t = time.perf_counter()
    for b in range(0, n, a.bs): model(X[b:b + a.bs])
    plain_inf = n/(time.perf_counter() - t)

figs = dict(arch=a.arch, size=a.size, bs=a.bs, timed_batches=a.batches,
            train_images_per_s=dict(cxr_notes=round(pipe_train, 2), plain_pytorch=round(plain_train, 2), ratio=round(pipe_train/plain_train, 3)),
            inference_images_per_s=dict(cxr_notes=round(pipe_inf, 2), plain_pytorch=round(plain_inf, 2), ratio=round(pipe_inf/plain_inf, 3)))
figs['targets_met'] = bool(figs['train_images_per_s']['ratio'] >= 0.9 and figs['inference_images_per_s']['ratio'] >= 0.9)
record(f'train_throughput_{a.arch}_{a.size}', figs,
       f'python benchmarks/train_throughput.py --arch {a.arch} --size {a.size} --bs {a.bs} --batches {a.batches}')
