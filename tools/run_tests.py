"""The test command (`./bootstrap.sh test`): sync checks, every notebook under nbdev_test, and any other tests.

    python tools/run_tests.py [NOTEBOOK_OR_FOLDER ...] [--flags "FLAG ..."]

With no notebooks named, it runs every notebook that `nbdev_test` would run (nbdev's own `nbglob`), then
`tests/test_*.sh`; with notebooks (or folders) named, only those, and no `tests/test_*.sh`. `--flags` is passed on
to each `nbdev_test`. Ends with one line `N passed, N failed`, counting each notebook and each check,
and exits with status 1 on any failure.

Environment: `CXR_SKIP_WARM=1` skips building the shared caches (each notebook then builds what it needs);
`CXR_NOTES_PRECISION=float32|bf16` runs everything that says precision='auto' in that precision (the other mode);
`CXR_INSTALL_CHROMIUM=1` lets `tests/test_docs.sh` install Debian's chromium for its screenshot.
"""
import argparse, hashlib, json, os, subprocess, sys, time
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor

root = Path(__file__).resolve().parent.parent
os.chdir(root)
results = []  # (name, passed, seconds)
T0 = time.time()

def say(*lines):
    print(*lines, sep='\n', flush=True)

def check(name, fn):
    t = time.time()
    try: ok, detail = fn()
    except Exception as e: ok, detail = False, f'{type(e).__name__}: {e}'
    results.append((name, ok, time.time() - t))
    say(f"{'PASS' if ok else 'FAIL'} {name} ({time.time() - t:.0f} s)" + (f": {detail}" if detail else ''))

# --- sync checks: nbdev's own recipe, `git status --porcelain` before and after the command -----------------------
def git_state():
    """Each path that `git status --porcelain` lists, with its status and a hash of its content: a file that was
    already modified (or untracked) and that the command modifies again is caught too, since its diff changes."""
    out = subprocess.run(['git', 'status', '--porcelain', '-z', '--untracked-files=all'],
                         capture_output=True, check=True).stdout.decode()
    fields, state = out.split('\0'), {}
    while fields:
        f = fields.pop(0)
        if not f: continue
        code, path = f[:2], f[3:]
        if code[0] in 'RC': fields.pop(0)   # a rename or copy is followed by its original path
        p = root / path
        state[path] = (code, hashlib.sha1(p.read_bytes()).hexdigest() if p.is_file() else None)
    return state

def no_change(cmd):
    def f():
        before = git_state()
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode: return False, f"{' '.join(cmd)} failed:\n{r.stdout}{r.stderr}"
        after = git_state()
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        return not changed, (f"{' '.join(cmd)} changed {', '.join(changed)}: run it and commit the result" if changed else '')
    return f

def readme_in_step():
    r = subprocess.run([sys.executable, 'tools/make_readme.py', '--check'], capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip()

# --- the shared caches ----------------------------------------------------------------------------------------------
# Several notebooks share the default synthetic dataset and the quick demo model (`demo_learner()`, which under IN_TEST
# uses `demo_config(quick=True)`). Both are built before the notebooks start, on both cores, so that no two notebooks
# build them at once and none waits on another's lock. This is a test in itself: it runs the generator and the training
# path of `demo_learner`.
WARM_PRECISION = ("from cxr_notes.precision import default_precision, cpu_bf16, PRECISION_ENV; import os; "
                  "print(f\"precision='auto' is {default_precision('cpu')} on this CPU (native bfloat16 listed: {cpu_bf16()}; "
                  "${PRECISION_ENV}={os.environ.get(PRECISION_ENV, 'unset')})\")")
WARM_DATA = "from cxr_notes.dataset import make_synthetic_dataset; d = make_synthetic_dataset(); print(f'default dataset ready: {len(d)} images')"
WARM_MODEL = ("from cxr_notes.demo import demo_learner, demo_config; "
              "l = demo_learner(demo_config(quick=True)); "
              "print(f'demo model ready ({\"trained\" if l.trained_now else \"cached\"}): {l.weights_file.parent.name}')")

def warm(code, env=None):
    def f():
        r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env={**os.environ, 'IN_TEST': '1', **(env or {})})
        return r.returncode == 0, (r.stdout.strip().splitlines()[-1] if r.returncode == 0 else (r.stdout + r.stderr)[-3000:])
    return f

# --- the notebooks: nbdev's own `test_nb` for each, in a pool of 2 processes, longest first ---------------------------
N_WORKERS = 2
times_file = root / '.cache' / 'notebook_times.json'   # each notebook's last time, to start the long ones first
prior_times = root / 'tools' / 'notebook_times.json'  # the times of a clean run on the 2-core machine, for notebooks this checkout never timed

def notebooks(paths):
    "What nbdev_test would run: nbdev's `nbglob` (skips names starting with `_` or `.`), less folders marked `.notest`"
    from nbdev.doclinks import nbglob
    files = [f for p in (paths or [None]) for f in nbglob(p, as_path=True)]
    return sorted({f.resolve() for f in files if not (f.parent / '.notest').exists()})

def nb_name(f):
    try: return str(f.relative_to(root / 'nbs'))
    except ValueError: return str(f)

def _fork_by_default():
    "In each of the pool's processes: processes a notebook starts (DataLoader workers) fork, as under nbdev_test"
    import multiprocessing
    multiprocessing.set_start_method('fork', force=True)   # a spawned process would otherwise spawn its own children too

def run_notebooks(files, flags):
    """nbdev_test's own parts: nbdev's `test_nb` runs (and times) each notebook, with the skip flags from settings.ini and
    `flags` forced, in fastcore's process pool. What nbdev_test does not do, and why this runner exists: the longest
    notebooks start first (nbdev_test runs them in name order, which leaves the long tutorials for last), each notebook
    in a fresh process (`max_tasks_per_child=1`), and each with one torch thread, since two processes that each use every
    core slow PyTorch down several-fold."""
    from multiprocessing import get_context
    from fastcore.parallel import ProcessPoolExecutor
    from nbdev.config import get_config
    from nbdev.test import test_nb
    def read(f):
        try: return json.loads(f.read_text())
        except (OSError, ValueError): return {}
    last = read(times_file); known = {**read(prior_times), **last}
    files = sorted(files, key=lambda f: (nb_name(f) in known, -known.get(nb_name(f), f.stat().st_size)))   # never timed: first, largest first
    threads = {k: os.environ.get(k) for k in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS')}
    for k, v in threads.items(): os.environ[k] = v or '1'          # inherited by the pool's processes
    t0 = time.time(); done = []
    try:
        with ProcessPoolExecutor(N_WORKERS, mp_context=get_context('spawn'), max_tasks_per_child=1, initializer=_fork_by_default) as ex:
            for f, (ok, secs) in zip(files, ex.map(test_nb, files, skip_flags=get_config().tst_flags.split(), force_flags=flags.split(),
                                                   do_print=True, basepath=get_config().config_path)):
                say(f'[{time.time() - t0:4.0f} s] {"PASS" if ok else "FAIL"} {nb_name(f)} ({secs:.0f} s)')
                done.append((nb_name(f), ok, secs))
    finally:
        for k, v in threads.items():
            if v is None: os.environ.pop(k, None)
            else: os.environ[k] = v
    for name, ok, secs in done: results.append((f'notebook {name}', ok, secs))
    last.update({name: round(secs, 1) for name, ok, secs in done})
    times_file.parent.mkdir(parents=True, exist_ok=True)
    times_file.write_text(json.dumps(last, indent=1, sort_keys=True) + '\n')
    say(f'notebooks took {time.time() - t0:.0f} s on {N_WORKERS} workers')

def script(path):
    def f():
        r = subprocess.run(['bash', str(path)], capture_output=True, text=True)
        return r.returncode == 0, '' if r.returncode == 0 else (r.stdout + r.stderr)[-3000:]
    return f

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('paths', nargs='*', help='notebooks or folders to test (default: every notebook under nbs/)')
    ap.add_argument('--flags', default='', help='space-separated test flags to run, passed on to nbdev_test')
    args = ap.parse_args()

    say('== sync checks')
    check('nbdev_export changes nothing', no_change(['nbdev_export']))
    check('nbdev_clean changes nothing', no_change(['nbdev_clean']))
    check('README.md is in step with nbs/index.ipynb', readme_in_step)

    skip_warm = os.environ.get('CXR_SKIP_WARM') == '1'
    if skip_warm: say('== building the shared caches: skipped (CXR_SKIP_WARM=1)')
    else:
        # What precision='auto' means here is decided once, before the notebooks start side by side: on a CPU that lists
        # native bfloat16 that is a short timing, cached per machine, so every notebook (and the demo model's key) agrees.
        say("== what precision='auto' means on this machine")
        check("precision='auto' resolved", warm(WARM_PRECISION))
        say('== building the shared caches: the default synthetic dataset, then the quick demo model')
        check('default dataset builds', warm(WARM_DATA))
        check('quick demo model builds', warm(WARM_MODEL))

    files = notebooks(args.paths)
    say(f'== notebooks: nbdev_test on each, {N_WORKERS} at a time')
    if files: run_notebooks(files, args.flags)
    else: check('notebooks to test', lambda: (False, f'no notebooks found in {args.paths or "nbs/"}'))
    # tests/test_*.sh (the docs site, the wheel in a clean venv, the benchmarks' smoke runs) after the notebooks, so that
    # the notebooks' time is their own; side by side, as many at a time as the notebooks ran (each is mostly one core:
    # pip, the docs processor, benchmarks in smoke mode with OMP_NUM_THREADS=1)
    if args.paths: say('== tests/test_*.sh: skipped (only the named notebooks were asked for)')
    extras = [] if args.paths else sorted(root.glob('tests/test_*.sh'))
    if extras:
        say(f"== {', '.join(e.name for e in extras)}: {N_WORKERS} at a time")
        with ThreadPoolExecutor(N_WORKERS) as pool: list(pool.map(lambda e: check(f'tests/{e.name}', script(e)), extras))

    n_pass = sum(ok for _, ok, _ in results); n_fail = len(results) - n_pass
    for name, ok, _ in results:
        if not ok: print(f'FAILED: {name}')
    say(f'== all tests took {time.time() - T0:.0f} s')
    print(f'{n_pass} passed, {n_fail} failed', flush=True)
    sys.exit(1 if n_fail else 0)

if __name__ == '__main__': main()
