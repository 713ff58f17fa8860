"""What the quick demonstration model reaches, over seeds and precisions: the evidence behind the margins of the
assertions that `nbdev_test` makes on it (07_learner, the walk-through).

    python benchmarks/quick_margins.py [--runs float32:0,1,2,3,4 bf16:0,1] [--smoke]

Each seed is a new draw of the default-sized synthetic set, a new patient split and a new initialisation
(`demo_learner(dict(DEMO_CONFIGS['quick'], seed=...))`, as the test command trains it for seed 0). Each precision is
forced with `CXR_NOTES_PRECISION`, so a CPU without native bfloat16 measures the bf16 path too (emulated, slowly).
Recorded per run: the test mean AUROC over all scorable labels; the mean over the labels with 10 or more positive test
patients with its patient-bootstrap interval (`mean_auroc_ci`, what 07_learner and the walk-through assert on); and
the labels whose own interval lies above 0.5.
"""
import argparse, os, sys, time, warnings
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings('ignore')
from _record import record, parse

p = argparse.ArgumentParser()
p.add_argument('--runs', nargs='+', default=['float32:0,1,2,3,4', 'bf16:0,1'], help='PRECISION:SEED,SEED,... (bf16 is slow where emulated)')
p.add_argument('--name', default='quick_margins')
a = parse(p, smoke=dict(runs=['float32:0']))
from cxr_notes.demo import DEMO_CONFIGS, demo_learner
from cxr_notes.evaluate import evaluate_learner, mean_auroc_ci

cfg = dict(DEMO_CONFIGS['quick'], **(dict(n_images=200, size=32, epochs=1) if a.smoke else {}))
runs = []
for spec in a.runs:
    prec, seeds = spec.split(':')
    os.environ['CXR_NOTES_PRECISION'] = prec
    for seed in map(int, seeds.split(',')):
        t = time.perf_counter()
        learn = demo_learner(dict(cfg, seed=seed))
        test = learn.splits['test']
        dl = learn.dls.test_dl(test, with_labels=True)
        tab = evaluate_learner(learn, dl, groups=test.PatientId)
        with learn.no_bar(): pr, yt = learn.get_preds(dl=dl)
        m = mean_auroc_ci(yt.numpy(), pr.numpy(), groups=test.PatientId)
        above = list(tab.index[tab['CI low'] > 0.5])
        runs.append(dict(seed=seed, precision=learn.precision, mean_test_auroc=round(float(tab.attrs['mean_auroc']), 4),
                         scored_mean=round(m['mean'], 4), scored_low=round(m['low'], 4), scored_high=round(m['high'], 4),
                         labels_scored=int(tab['CI low'].notna().sum()), labels_above_chance=len(above), above=above,
                         seconds=round(time.perf_counter() - t, 1), trained_now=learn.trained_now))
        print(runs[-1], flush=True)
keys = ['mean_test_auroc', 'scored_mean', 'scored_low', 'labels_above_chance']
figs = dict(config=cfg, runs=runs, lowest={k: min(r[k] for r in runs) for k in keys}, highest={k: max(r[k] for r in runs) for k in keys})
record(a.name, figs, 'python benchmarks/quick_margins.py ' + ' '.join(sys.argv[1:]))
