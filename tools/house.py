"""The library's shape, measured: which module imports which, and how big the exported cells are.

    python tools/house.py                 # the working tree
    python tools/house.py --rev caff847   # any commit, read with `git show` (nothing is checked out)

Prints each module of `cxr_notes/` with its lines and the package modules it imports (at the top or inside a function),
then every exported notebook cell's lines and top-level definitions: the mean, the largest, and the cells over 40 lines.
"""
import argparse, ast, json, re, subprocess
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def files(rev, pattern):
    "path -> text, for the tracked files matching `pattern`, at `rev` (None: the working tree)"
    if rev is None: return {str(p.relative_to(root)): p.read_text() for p in sorted(root.glob(pattern))}
    names = subprocess.run(['git', 'ls-tree', '-r', '--name-only', rev], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    rx = re.compile('^' + re.escape(pattern).replace(r'\*', '[^/]*') + '$')
    return {n: subprocess.run(['git', 'show', f'{rev}:{n}'], cwd=root, capture_output=True, text=True, check=True).stdout
            for n in names if rx.match(n)}

def imports(src):
    "The cxr_notes modules a module imports, anywhere in it"
    out = set()
    for n in ast.walk(ast.parse(src)):
        if isinstance(n, ast.ImportFrom):
            m = n.module or ''
            if n.level == 1: out.add(m.split('.')[0])
            elif m.startswith('cxr_notes.'): out.add(m.split('.')[1])
    return sorted(out - {''})

def exported_cells(nb_text):
    "(lines, definitions) of each exported cell of a notebook"
    out = []
    for c in json.loads(nb_text)['cells']:
        s = ''.join(c['source'])
        if c['cell_type'] != 'code' or not re.match(r'#\|\s*export\b', s): continue
        body = '\n'.join(l for l in s.splitlines()[1:] if l.strip())
        try: tree = ast.parse(body)
        except SyntaxError: continue
        if all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body): continue   # a notebook's import cell
        defs = sum(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) for n in tree.body)
        out.append((len(body.splitlines()), defs))
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--rev', default=None, help='a commit to read instead of the working tree')
    rev = ap.parse_args().rev
    mods = {Path(p).stem: s for p, s in files(rev, 'cxr_notes/*.py').items() if not Path(p).stem.startswith('_')}
    print(f"== {len(mods)} modules at {rev or 'the working tree'}: lines, then what each imports of the package")
    edges = 0
    for m, s in sorted(mods.items()):
        deps = imports(s); edges += len(deps)
        print(f"{m:12s} {len(s.splitlines()):4d}  <- {', '.join(deps) or '-'}")
    print(f"{edges} imports between modules")
    cells = {p: exported_cells(s) for p, s in files(rev, 'nbs/*.ipynb').items()}
    allc = [c for cs in cells.values() for c in cs]
    n = len(allc); lines = sum(l for l, _ in allc); defs = sum(d for _, d in allc)
    print(f"== {n} exported cells (import cells left out): {lines/n:.1f} lines and {defs/n:.2f} definitions each on average; "
          f"the largest {max(l for l, _ in allc)} lines; {sum(l > 40 for l, _ in allc)} over 40 lines")
    for p, cs in sorted(cells.items()):
        if cs: print(f"{Path(p).name:24s} {len(cs):3d} cells, {sum(l for l, _ in cs)/len(cs):5.1f} lines each, largest {max(l for l, _ in cs)}")

if __name__ == '__main__': main()
