"""Training and inference throughput of the cxr_notes pipeline (fastai, PNG files read from disk, augmentation,
per-image normalisation, `cxr_learner`'s default precision) against a plain PyTorch loop over in-memory tensors
(float32, contiguous, no autocast), same model, image size and batch size, measured side by side in one run.

    python benchmarks/train_throughput.py [--arch densenet121] [--size 128] [--bs 32] [--batches 8] [--repeats 3]

Each configuration is timed `repeats` times, interleaved, and the best repeat counts (the machine is shared).
Also measured: the pipeline with `precision='float32'` (the off switch), and where each training batch's time
goes (reading and decoding the PNGs, the item resize, collation, augmentation and normalisation, the model step).

Targets (issue 11): training through the pipeline at least 1.3x the plain loop on a CPU with native bfloat16
(AMX or AVX512-BF16), never below 1.0x on one without; inference at least 1.2x on a bf16 CPU, 1.0x elsewhere.
"""
import argparse, sys, time, warnings, os
from pathlib import Path
from collections import defaultdict
import numpy as np, pandas as pd, torch
sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings('ignore')
from _record import record
from fastai.callback.core import Callback, CancelValidException
from cxr_notes.data import LABELS
from cxr_notes.synth import make_synthetic_dataset
from cxr_notes.transforms import load_cxr
from cxr_notes.learner import cxr_dataloaders, cxr_learner, cxr_model, cpu_bf16, default_precision
from cxr_notes.loss import WeightedBCEWithLogits
from cxr_notes.imbalance import class_weights

p = argparse.ArgumentParser()
p.add_argument('--arch', default='densenet121'); p.add_argument('--size', type=int, default=128)
p.add_argument('--bs', type=int, default=32); p.add_argument('--batches', type=int, default=8)
p.add_argument('--warmup', type=int, default=2); p.add_argument('--repeats', type=int, default=3)
p.add_argument('--device', default=None, help='cpu or cuda (default: the default device)')
p.add_argument('--name', default=None, help='record name (default train_throughput_<arch>_<size>[_<device>])')
a = p.parse_args()
dev = torch.device(a.device) if a.device else (torch.device('cuda') if torch.cuda.is_available() else torch.device('cpu'))
n = (a.batches + a.warmup)*a.bs

df = make_synthetic_dataset()
df = df.iloc[:n + a.bs]
trva = df.assign(is_valid=[False]*n + [True]*a.bs)
pw, nw = class_weights(df.iloc[:n][LABELS])
sync = (lambda: torch.cuda.synchronize()) if dev.type == 'cuda' else (lambda: None)

class BatchTimer(Callback):
    "Time each training batch from the end of the previous one (so loading counts), and the model step alone"
    order = -100
    def before_fit(self): self.t, self.total, self.step = None, [], []
    def before_epoch(self): sync(); self.t = time.perf_counter()
    def before_batch(self): sync(); self.t_step = time.perf_counter()
    def after_batch(self):
        if self.training:
            sync(); now = time.perf_counter()
            self.total.append(now - self.t); self.step.append(now - self.t_step); self.t = now
    def before_validate(self): raise CancelValidException()

def timed(fn, key, acc):
    def f(*args, **kwargs):
        t = time.perf_counter(); r = fn(*args, **kwargs); acc[key] += time.perf_counter() - t; return r
    return f

def pipeline_train(precision, profile=False):
    torch.manual_seed(0)
    dls = cxr_dataloaders(trva, size=a.size, bs=a.bs, shuffle=False, device=dev)   # loader workers: none on a CPU, one per core on a GPU
    learn = cxr_learner(dls, a.arch, weights=None, pos_weights=pw, neg_weights=nw, metrics=[], precision=precision)
    acc = defaultdict(float)
    if profile:   # where a batch's loading time goes: wrap the loader's stages (fastai's DataLoader calls them per item/batch)
        dl = dls.train
        dl.create_item = timed(dl.create_item, 'read + decode PNG', acc)
        dl.after_item = timed(dl.after_item, 'resize to size (item)', acc)
        dl.do_batch = timed(dl.do_batch, 'collate', acc)
        dl.after_batch = timed(dl.after_batch, 'augment + normalise (batch)', acc)
    timer = BatchTimer()
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3, cbs=timer)
    tot, step = timer.total[a.warmup:], timer.step[a.warmup:]
    prof = None
    if profile:
        nb = len(timer.total)   # stages ran for every batch, warm-up included: per-batch means over all of them
        prof = {k: round(1000*v/nb, 1) for k, v in acc.items()}
        prof['model step (forward, loss, backward, optimiser)'] = round(1000*np.mean(step), 1)
        prof['batch total'] = round(1000*np.mean(tot), 1)
    return a.bs*len(tot)/sum(tot), learn, dls, prof

# --- plain PyTorch: the same images as in-memory tensors (resized, normalised once), same model, loss and optimiser
def prep(path):
    x = torch.tensor(load_cxr(path), dtype=torch.float32)[None, None]/255
    x = torch.nn.functional.interpolate(x, size=(a.size, a.size), mode='bilinear', align_corners=False)[0]
    return (x - x.mean())/(x.std() + 1e-6)
X = torch.stack([prep(f) for f in df.Path.iloc[:n]]).to(dev); Y = torch.tensor(df[LABELS].iloc[:n].to_numpy(), dtype=torch.float32).to(dev)

def plain_train():
    torch.manual_seed(0)
    model = cxr_model(a.arch).to(dev); opt = torch.optim.Adam(model.parameters(), 1e-3); loss_fn = WeightedBCEWithLogits(pw, nw)
    model.train(); times = []
    for b in range(0, n, a.bs):
        sync(); t = time.perf_counter()
        loss = loss_fn(model(X[b:b + a.bs]), Y[b:b + a.bs]); opt.zero_grad(); loss.backward(); opt.step()
        sync(); times.append(time.perf_counter() - t)
    return a.bs*len(times[a.warmup:])/sum(times[a.warmup:]), model

def pipeline_infer(learn, dls):
    with learn.no_bar(): learn.get_preds(dl=dls.test_dl(df.iloc[:a.bs*a.warmup], bs=a.bs))
    sync(); t = time.perf_counter()
    with learn.no_bar(): learn.get_preds(dl=dls.test_dl(df.iloc[:n], bs=a.bs))
    sync(); return n/(time.perf_counter() - t)

def plain_infer(model):
    model.eval()
    with torch.no_grad():
        for b in range(0, a.bs*a.warmup, a.bs): model(X[b:b + a.bs])
        sync(); t = time.perf_counter()
        for b in range(0, n, a.bs): model(X[b:b + a.bs])
        sync(); return n/(time.perf_counter() - t)

res = defaultdict(list); profiles = []
for r in range(a.repeats):   # interleaved, best of the repeats
    rate, model = plain_train(); res['plain_train'].append(rate); res['plain_infer'].append(plain_infer(model))
    rate, learn, dls, prof = pipeline_train('auto', profile=True); profiles.append(prof)
    res['pipe_train'].append(rate); res['pipe_infer'].append(pipeline_infer(learn, dls))
    rate, learn32, dls32, _ = pipeline_train('float32'); res['pipe32_train'].append(rate); res['pipe32_infer'].append(pipeline_infer(learn32, dls32))
    print(f"repeat {r + 1}: " + ', '.join(f"{k} {v[-1]:.1f}" for k, v in res.items()), flush=True)
best = {k: max(v) for k, v in res.items()}
prof = min(profiles, key=lambda p: p['batch total'])
bf16 = cpu_bf16() if dev.type == 'cpu' else None
need_train, need_inf = (1.3, 1.2) if (dev.type == 'cpu' and bf16) else (1.0, 1.0)
figs = dict(arch=a.arch, size=a.size, bs=a.bs, timed_batches=a.batches, repeats=a.repeats, device=str(dev),
            device_name=torch.cuda.get_device_name() if dev.type == 'cuda' else None,
            default_precision=f"{default_precision(dev)}, channels-last", cpu_native_bf16=bf16,
            train_images_per_s=dict(cxr_notes=round(best['pipe_train'], 2), cxr_notes_float32=round(best['pipe32_train'], 2),
                                    plain_pytorch_float32=round(best['plain_train'], 2), ratio=round(best['pipe_train']/best['plain_train'], 3),
                                    ratio_float32=round(best['pipe32_train']/best['plain_train'], 3)),
            inference_images_per_s=dict(cxr_notes=round(best['pipe_infer'], 2), cxr_notes_float32=round(best['pipe32_infer'], 2),
                                        plain_pytorch_float32=round(best['plain_infer'], 2), ratio=round(best['pipe_infer']/best['plain_infer'], 3),
                                        ratio_float32=round(best['pipe32_infer']/best['plain_infer'], 3)),
            train_batch_profile_ms=prof,
            targets=dict(train_ratio=need_train, inference_ratio=need_inf))
figs['targets_met'] = bool(figs['train_images_per_s']['ratio'] >= need_train and figs['inference_images_per_s']['ratio'] >= need_inf)
name = a.name or f'train_throughput_{a.arch}_{a.size}' + ('' if dev.type == 'cpu' else f'_{dev.type}')
record(name, figs, f'python benchmarks/train_throughput.py --arch {a.arch} --size {a.size} --bs {a.bs} --batches {a.batches} '
                   f'--repeats {a.repeats}' + (f' --device {a.device}' if a.device else ''))
