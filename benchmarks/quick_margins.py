"""What the quick demonstration model reaches, over seeds and precisions: the evidence behind the margins of the
assertions that `nbdev_test` makes on it (07_learner, the walk-through).

    python benchmarks/quick_margins.py [--seeds 0 1 2] [--precisions float32 bf16] [--smoke]

Each seed is a new draw of the default-sized synthetic set, a new patient split and a new initialisation
(`demo_learner(dict(DEMO_CONFIGS['quick'], seed=...))`, as the test command trains it for seed 0). Each precision is
forced with `CXR_NOTES_PRECISION`, so a CPU without native bfloat16 measures the bf16 path too (emulated, slowly).
Recorded per run: the test mean AUROC over the scorable labels and the labels whose patient-bootstrap interval lies
above 0.5, the two figures 07_learner asserts on.
"""
import argparse, os, sys, time, warnings, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings('ignore')
from _record import record, parse

p = argparse.ArgumentParser()
p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2]); p.add_argument('--precisions', nargs='+', default=['float32', 'bf16'])
p.add_argument('--name', default='quick_margins')
a = parse(p, smoke=dict(seeds=[0], precisions=['float32']))
from cxr_notes.demo import DEMO_CONFIGS, demo_learner
from cxr_notes.evaluate import evaluate_learner

cfg = dict(DEMO_CONFIGS['quick'], **(dict(n_images=200, size=32, epochs=1) if a.smoke else {}))
runs = []
for prec in a.precisions:
    os.environ['CXR_NOTES_PRECISION'] = prec
    for seed in a.seeds:
        t = time.perf_counter()
        learn = demo_learner(dict(cfg, seed=seed))
        test = learn.splits['test']
        tab = evaluate_learner(learn, learn.dls.test_dl(test, with_labels=True), groups=test.PatientId)
        above = list(tab.index[tab['CI low'] > 0.5])
        runs.append(dict(seed=seed, precision=learn.precision, mean_test_auroc=round(float(tab.attrs['mean_auroc']), 4),
                         labels_scored=int(tab['CI low'].notna().sum()), labels_above_chance=len(above), above=above,
                         seconds=round(time.perf_counter() - t, 1), trained_now=learn.trained_now))
        print(runs[-1], flush=True)
figs = dict(config=cfg, runs=runs,
            lowest=dict(mean_test_auroc=min(r['mean_test_auroc'] for r in runs), labels_above_chance=min(r['labels_above_chance'] for r in runs)),
            highest=dict(mean_test_auroc=max(r['mean_test_auroc'] for r in runs), labels_above_chance=max(r['labels_above_chance'] for r in runs)))
record(a.name, figs, 'python benchmarks/quick_margins.py ' + ' '.join(sys.argv[1:]))
