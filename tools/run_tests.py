"""The test command (`./bootstrap.sh test`): sync checks, every notebook under nbdev_test, and any other tests.

Ends with one line `N passed, N failed`, counting each notebook and each check.
"""
import hashlib, os, re, subprocess, sys, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.chdir(root)
results = []  # (name, passed, seconds)

def tracked_state():
    "Hash of every file nbdev_export or nbdev_clean may write"
    files = sorted([*root.glob('nbs/**/*.ipynb'), *root.glob('cxr_notes/**/*.py'), root/'pyproject.toml'])
    return {str(f.relative_to(root)): hashlib.sha1(f.read_bytes()).hexdigest() for f in files if '.ipynb_checkpoints' not in str(f)}

def check(name, fn):
    t = time.time()
    try: ok, detail = fn()
    except Exception as e: ok, detail = False, f'{type(e).__name__}: {e}'
    results.append((name, ok, time.time() - t))
    print(f"{'PASS' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ''), flush=True)

def no_change(cmd):
    def f():
        before = tracked_state()
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode: return False, f"{' '.join(cmd)} failed:\n{r.stdout}{r.stderr}"
        after = tracked_state()
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        return not changed, (f"{' '.join(cmd)} changed {', '.join(changed)}: run it and commit the result" if changed else '')
    return f

print('== sync checks', flush=True)
check('nbdev_export changes nothing', no_change(['nbdev_export']))
check('nbdev_clean changes nothing', no_change(['nbdev_clean']))
def readme_in_step():
    r = subprocess.run([sys.executable, 'tools/make_readme.py', '--check'], capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip()
check('README.md is in step with nbs/index.ipynb', readme_in_step)

# Several notebooks share the default synthetic dataset and the quick demo model (07_learner, 09_gradcam and the
# walkthrough call `demo_learner` with the configuration below when IN_TEST is set). Built here once, on both
# cores, the notebooks find them in the cache instead of waiting for each other in parallel. This is a test
# in itself: it runs the generator and the training path of `demo_learner`.
print('== building the shared caches: default synthetic dataset, quick demo model', flush=True)
def warm():
    code = ("from cxr_notes.learner import demo_learner; "
            "l = demo_learner(arch='densenet_small', size=64, epochs=5, lr=3e-3); "
            "print(f'demo model ready ({\"trained\" if l.trained_now else \"cached\"}): {l.weights_file}')")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env={**os.environ, 'IN_TEST': '1'})
    return r.returncode == 0, (r.stdout.strip().splitlines()[-1] if r.returncode == 0 else (r.stdout + r.stderr)[-3000:])
check('default dataset and quick demo model build', warm)

print('== nbdev_test', flush=True)
t0 = time.time()
# nbdev_test runs one notebook per core; one torch thread each keeps them from fighting over the cores
# (oversubscribed, PyTorch's CPU kernels slow down several-fold).
env = {**os.environ, 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', '1'), 'MKL_NUM_THREADS': os.environ.get('MKL_NUM_THREADS', '1')}
p = subprocess.Popen(['nbdev_test', '--do_print', '--timing'] + sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
lines = []
for line in p.stdout:   # each line stamped with the seconds since nbdev_test started, to see which notebooks are slow
    sys.stdout.write(f'[{time.time() - t0:4.0f} s] {line}' if line.startswith(('Starting', '- Completed')) else line)
    sys.stdout.flush(); lines.append(line)
p.wait()
out = ''.join(lines)
done = re.findall(r'^- Completed (.+)$', out, re.M)
failed = set()
m = re.search(r'Failed On The Following Notebooks:\n=+\n((?:\t.+\n?)+)', out)
if m: failed = {l.strip() for l in m.group(1).splitlines() if l.strip()}
times = dict(re.findall(r'^(\S+\.ipynb): (\d+) secs$', out, re.M))
for f in done:
    name = Path(f).name
    results.append((f'notebook {Path(f).relative_to(root / "nbs") if f.startswith(str(root)) else name}', name not in failed, float(times.get(name, 0))))
if p.returncode and not failed:
    results.append(('nbdev_test run', False, time.time() - t0))   # crashed before reporting notebooks
print(f'nbdev_test took {time.time() - t0:.0f} s', flush=True)

def script(path):
    def f():
        r = subprocess.run(['bash', str(path)], capture_output=True, text=True)
        return r.returncode == 0, '' if r.returncode == 0 else (r.stdout + r.stderr)[-3000:]
    return f
for extra in sorted(root.glob('tests/test_*.sh')):
    print(f'== {extra.name}', flush=True)
    check(f'tests/{extra.name}', script(extra))

n_pass = sum(ok for _, ok, _ in results); n_fail = len(results) - n_pass
for name, ok, _ in results:
    if not ok: print(f'FAILED: {name}')
print(f'{n_pass} passed, {n_fail} failed')
sys.exit(1 if n_fail else 0)
