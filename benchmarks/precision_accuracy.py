"""Accuracy is not traded for speed: the same short training configuration in plain float32 (`precision='float32'`)
and in `cxr_learner`'s default precision (channels-last, plus bfloat16/float16 autocast where that is faster),
over several seeds (new initialisation and data order each), scored by mean validation AUROC.

    python benchmarks/precision_accuracy.py [--seeds 3] [--arch densenet_small] [--size 64] [--epochs 4] [--n_images 1500] [--device cpu|cuda]

Target (issue 11): the mean difference (default - float32) within twice the float32 runs' standard deviation.
On a CPU without native bfloat16 the default is float32 in channels-last memory, so only rounding differs; on a
GPU or a bf16 CPU it is a real mixed-precision run.
"""
import argparse, sys, time, warnings
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings('ignore')
from _record import record, parse
from cxr_notes.data import LABELS
from cxr_notes.demo import demo_splits, train_cxr
from cxr_notes.evaluate import auroc
from cxr_notes.precision import default_precision

p = argparse.ArgumentParser()
p.add_argument('--seeds', type=int, default=3); p.add_argument('--arch', default='densenet_small')
p.add_argument('--size', type=int, default=64); p.add_argument('--epochs', type=int, default=4)
p.add_argument('--n_images', type=int, default=1500); p.add_argument('--bs', type=int, default=32)
p.add_argument('--device', default=None); p.add_argument('--num_workers', type=int, default=None)
a = parse(p, smoke=dict(seeds=1, size=32, epochs=1, n_images=120))
dev = torch.device(a.device) if a.device else (torch.device('cuda') if torch.cuda.is_available() else torch.device('cpu'))
s = demo_splits(a.n_images)

runs = {'float32': [], 'default': []}
secs = {'float32': [], 'default': []}
for seed in range(a.seeds):
    for name, prec in (('float32', 'float32'), ('default', 'auto')):
        t = time.perf_counter()
        learn = train_cxr(s['train'], s['valid'], arch=a.arch, size=a.size, epochs=a.epochs, lr=3e-3, bs=a.bs, seed=seed,
                          precision=prec, device=dev, num_workers=a.num_workers)
        secs[name].append(time.perf_counter() - t)
        with learn.no_bar(): pv, yv = learn.get_preds(dl=learn.dls.valid)
        runs[name].append(float(np.nanmean(auroc(yv.numpy(), pv.numpy(), axis=0))))
        print(f"seed {seed} {name:8s} ({learn.precision}{', channels-last' if learn.channels_last else ''}): "
              f"validation mean AUROC {runs[name][-1]:.4f} in {secs[name][-1]:.0f} s", flush=True)
f32, dflt = np.array(runs['float32']), np.array(runs['default'])
diff, sd = float(dflt.mean() - f32.mean()), float(f32.std(ddof=1))
figs = dict(config=dict(arch=a.arch, size=a.size, epochs=a.epochs, n_images=a.n_images, bs=a.bs, seeds=a.seeds), device=str(dev),
            device_name=torch.cuda.get_device_name() if dev.type == 'cuda' else None,
            default_precision=f"{default_precision(dev)}, channels-last",
            valid_mean_auroc=dict(float32=[round(v, 4) for v in f32], default=[round(v, 4) for v in dflt]),
            mean_difference=round(diff, 4), float32_sd=round(sd, 4),
            seconds_per_run=dict(float32=round(float(np.median(secs['float32'])), 1), default=round(float(np.median(secs['default'])), 1)),
            target_met=bool(abs(diff) <= 2*sd))
record(f"precision_accuracy_{dev.type}", figs, f"python benchmarks/precision_accuracy.py --seeds {a.seeds} --arch {a.arch} --size {a.size} "
       f"--epochs {a.epochs} --n_images {a.n_images}" + (f" --device {a.device}" if a.device else ''))
