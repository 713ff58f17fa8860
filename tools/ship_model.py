"""Build the model the course ships, as the course hands its students a trained model: trained on the synthetic films
at a configuration a lesson cannot afford on a CPU, by the same main job users run (`run_main`), and written with its
provenance into the package, under 15 MB. One command:

    python tools/ship_model.py [--epochs 12] [--n_images 10000] [--seed 100] [--permuted]

It writes `cxr_notes/weights/synth-densenet_small-128px.pth` (a state dict with `save_model`'s meta, loadable with
`weights_only=True` through `resolve_weights`, the path every user's weights take) and `...json` beside it: the
generator and draw versions, the run's settings and data seed, the machine, the time taken, the git commit of the code,
and the test AUROC per label with intervals over patients (against the set's labels, as the report miner wrote them,
and against the truth). The data seed is not the demo's (0): the demo fine-tunes from this model on patients it never saw.
"""
import argparse, json, shutil, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, torch

ROOT = Path(__file__).resolve().parents[1]
NAME = 'synth-densenet_small-128px'
PERMUTED_SEED = 7   # the shuffle of the label rows, for --permuted

def machine()->dict:
    "The benchmarks' record of the machine (CPU, flags, cores, versions), with the device that trained"
    sys.path.insert(0, str(ROOT/'benchmarks'))
    from _record import machine as bench_machine
    return dict(bench_machine(), device=torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu')

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--epochs', type=int, default=12); p.add_argument('--n_images', type=int, default=10000)
    p.add_argument('--seed', type=int, default=100); p.add_argument('--lr', type=float, default=3e-3)
    p.add_argument('--dest', default=str(ROOT/'cxr_notes'/'weights'))
    p.add_argument('--permuted', action='store_true', help='train on label rows shuffled across the images (the data-randomisation control)')
    p.add_argument('--code_commit', default=None, help="the code's git commit, where the copy that runs has no .git (a lent machine)")
    a = p.parse_args()
    name = NAME + ('-permuted' if a.permuted else '')
    from cxr_notes.run import run_main
    from cxr_notes.synth import GENERATOR_VERSION, DRAW_VERSION
    from cxr_notes.data import LABELS
    from cxr_notes.dataset import true_labels
    from cxr_notes.evaluate import auroc_table
    settings = dict(arch='densenet_small', size=128, epochs=a.epochs, lr=a.lr, bs=32, weights='none', n_images=a.n_images,
                    seed=a.seed, synth_size=256, n_cams=0, precision='auto')
    git = lambda *args: subprocess.run(['git', *args], cwd=ROOT, capture_output=True, text=True)
    try: commit = git('rev-parse', 'HEAD').stdout.strip() if (ROOT/'.git').exists() else ''
    except FileNotFoundError: commit = ''          # no git installed
    dirty = bool(git('status', '--porcelain', '--', 'cxr_notes', 'tools', 'benchmarks').stdout.strip()) if commit else False
    if a.code_commit: commit, dirty = a.code_commit + ' (given on the command line)', False   # a copy's .git may be stale: the caller's word wins
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)/'run'
        t0 = time.perf_counter()
        if a.permuted:   # the same films and the same patient split, as three tables of the user's layout; label rows shuffled
            from cxr_notes.run import run_settings, load_stage, split_stage
            s = run_settings(**settings); sp = split_stage(s, load_stage(s))
            allr = pd.concat([sp.train, sp.valid, sp.test])
            shuffled = allr[LABELS].to_numpy()[np.random.default_rng(PERMUTED_SEED).permutation(len(allr))]
            allr = allr[['Image', 'PatientId']].assign(**{l: shuffled[:, i] for i, l in enumerate(LABELS)})[['Image', *LABELS, 'PatientId']]
            tabs, i = {}, 0
            for k in ('train', 'valid', 'test'):
                n = len(sp[k]); tabs[k] = Path(d)/f'{k}.csv'; allr.iloc[i:i + n].to_csv(tabs[k], index=False); i += n
            run_main(out, labels=str(tabs['train']), valid_labels=str(tabs['valid']), test_labels=str(tabs['test']),
                     images=str(Path(sp.train.Path.iloc[0]).parent), **{k: v for k, v in settings.items() if k not in ('n_images', 'synth_size')})
        else: run_main(out, **settings)
        seconds = time.perf_counter() - t0
        metrics = json.loads((out/'metrics.json').read_text())
        dest = Path(a.dest); dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(out/'model.pth', dest/f'{name}.pth')
    # the run's own test patients (its split: run_settings' defaults, the run's seed), scored through the library's inference path
    from cxr_notes.run import run_settings, load_stage, split_stage
    s = run_settings(**settings); te = split_stage(s, load_stage(s)).test
    probs = learn_probs(dest/f'{name}.pth', te)
    truth = true_labels(te)[LABELS].to_numpy()
    tab_t = auroc_table(truth, probs, groups=te.PatientId)
    tab_l = auroc_table(te[LABELS].to_numpy(), probs, groups=te.PatientId)
    table = lambda t: {l: dict(auroc=None if np.isnan(r.AUROC) else round(float(r.AUROC), 4),
                               ci=None if np.isnan(r['CI low']) else [round(float(r['CI low']), 4), round(float(r['CI high']), 4)],
                               positive_patients=int(r['positive patients'])) for l, r in t.iterrows()}
    prov = dict(file=f'{name}.pth', bytes=(dest/f'{name}.pth').stat().st_size, generator_version=GENERATOR_VERSION, draw_version=DRAW_VERSION,
                command='python tools/ship_model.py ' + ' '.join(sys.argv[1:]), settings=settings,
                data=dict(seed=a.seed, n_images=a.n_images, note="make_synthetic_dataset(n_images, seed): patients the demo's set (seed 0) does not have"),
                trained_on=(f"the set's label rows shuffled across its images (numpy permutation, seed {PERMUTED_SEED}): the "
                            "data-randomisation control" if a.permuted else "the set's labels, as the report miner wrote them (label_noise=True), like NIH's"),
                machine=machine(), seconds=round(seconds, 1), code_commit=commit + (' (with uncommitted changes in cxr_notes/)' if dirty else ''),
                test=dict(patients=int(te.PatientId.nunique()), images=len(te),
                          mean_auroc_truth=round(float(tab_t.attrs['mean_auroc']), 4), mean_auroc_labels=round(float(tab_l.attrs['mean_auroc']), 4),
                          interval='95% percentile bootstrap over test patients; none below 10 positive patients',
                          truth=table(tab_t), labels=table(tab_l)),
                run_metrics=metrics)
    (dest/f'{name}.json').write_text(json.dumps(prov, indent=2, default=str) + '\n')
    print(f"wrote {dest/name}.pth ({prov['bytes']/1e6:.1f} MB) and its provenance; mean test AUROC against the truth "
          f"{prov['test']['mean_auroc_truth']:.3f}, against the labels {prov['test']['mean_auroc_labels']:.3f}, in {seconds/60:.1f} min")

def learn_probs(path, frame):
    "Probabilities of the saved model for `frame`'s images, through the library's own inference path"
    from cxr_notes.learner import inference_learner
    learn = inference_learner(list(frame.Path), path, 'densenet_small', 128, precision='float32')
    with learn.no_bar(): return learn.get_preds(dl=learn.dls.test_dl(learn.items))[0].numpy()

if __name__ == '__main__': main()
