"""Write README.md from nbs/index.ipynb, as `nbdev_readme` would, without Quarto.

    python tools/make_readme.py           write README.md
    python tools/make_readme.py --check   exit 1 if README.md differs from what index.ipynb gives

Markdown cells are copied; code cells appear as Python blocks unless `#| echo: false`; their saved outputs
follow (Markdown as it is, text in a plain block) unless `#| output: false`; `#| hide` drops a cell.
"""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
_dir = re.compile(r'^\s*#\s*\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')

def directives(src):
    d, body = {}, []
    for line in src.splitlines():
        m = _dir.match(line)
        if m and not body: d[m.group(1)] = m.group(2)
        else: body.append(line)
    return d, '\n'.join(body).strip()

def to_markdown(nb_path):
    nb = json.loads(Path(nb_path).read_text())
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': parts.append(src.strip()); continue
        if c['cell_type'] != 'code': continue
        d, body = directives(src)
        if 'hide' in d or 'default_exp' in d and not body: continue
        if d.get('echo', 'true').lower() != 'false' and body: parts.append(f'```python\n{body}\n```')
        if d.get('output', 'true').lower() == 'false': continue
        for o in c.get('outputs', []):
            data = o.get('data', {})
            if 'text/markdown' in data: parts.append(''.join(data['text/markdown']).strip())
            elif o.get('output_type') == 'stream': parts.append('```\n' + ''.join(o['text']).rstrip() + '\n```')
            elif 'text/plain' in data: parts.append('```\n' + ''.join(data['text/plain']).rstrip() + '\n```')
    return '<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n' + \
           '\n\n'.join(p for p in parts if p) + '\n'

if __name__ == '__main__':
    md = to_markdown(root/'nbs'/'index.ipynb')
    readme = root/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != md:
            print('README.md differs from nbs/index.ipynb: run `python tools/make_readme.py` and commit README.md')
            sys.exit(1)
    else: readme.write_text(md); print(f'wrote {readme}')
