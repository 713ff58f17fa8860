"""patient_split on the full NIH table (112,120 images, 30,805 patients), 70/10/20, over many seeds.

    python benchmarks/split_speed.py [--seeds 20]

Targets: under 5 s per split, no patient in two splits, every label within 5% (relative) of the whole
table's prevalence in every split. GroupShuffleSplit on the same table is measured beside it.
"""
import argparse, sys, time
from pathlib import Path
import numpy as np
sys.path.insert(0, str(Path(__file__).parent))
from _record import record, parse
from cxr_notes.data import read_nih_labels
from cxr_notes.split import patient_split, group_shuffle_split, split_report

p = argparse.ArgumentParser(); p.add_argument('--seeds', type=int, default=20); a = parse(p, smoke=dict(seeds=1))
nih = read_nih_labels()
figs = {}
for name, fn in [('patient_split', patient_split), ('GroupShuffleSplit', group_shuffle_split)]:
    secs, devs, shared = [], [], []
    for seed in range(a.seeds):
        t = time.perf_counter(); s = fn(nih, 0.1, 0.2, seed=seed); secs.append(time.perf_counter() - t)
        r = split_report(dict(zip(['train', 'valid', 'test'], s)), nih)
        devs.append(r.attrs['max_dev']); shared.append(r.attrs['shared_patients'])
    figs[name] = dict(seeds=a.seeds, seconds_mean=round(float(np.mean(secs)), 3), seconds_max=round(float(np.max(secs)), 3),
                      shared_patients_max=int(np.max(shared)), max_relative_deviation_mean=round(float(np.mean(devs)), 4),
                      max_relative_deviation_worst=round(float(np.max(devs)), 4))
ps = figs['patient_split']
figs['targets_met'] = bool(ps['seconds_max'] < 5 and ps['shared_patients_max'] == 0 and ps['max_relative_deviation_worst'] < 0.05)
record('split_speed', figs, f'python benchmarks/split_speed.py --seeds {a.seeds}')
