"""Build the docs site offline, without Quarto: nbdev's own notebook processing (`proc_nbs`: show_doc for every
exported symbol, directives, hidden cells), then nbconvert to HTML, with an index page and a navigation sidebar.

    python tools/build_docs.py [--out _site]

The deploy workflow renders the real site with Quarto (`nbdev_docs`); this is the readable offline equivalent.
Figures are the notebooks' saved outputs, embedded in the pages.
"""
import argparse, html, json, re, shutil, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_readme import directives   # nbdev's `#| key: value` directives, parsed as for the README

def process_notebooks(force=True):
    "nbdev's docs processing into _proc/, without nbdev_proc_nbs (which would try to install Quarto)"
    import os; os.chdir(root)
    import nbdev.doclinks
    from nbdev.serve import proc_nbs
    nbdev.doclinks._build_modidx()
    return proc_nbs(n_workers=0, force=force)

def front_matter(src):
    "The YAML front matter nbdev writes into a raw cell, as a dict ({} if there is none)"
    import yaml
    m = re.match(r'^---\n(.*?)\n---', src, re.S)
    try: return (yaml.safe_load(m.group(1)) or {}) if m else {}
    except yaml.YAMLError: return {}

def page_title(nb):
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'raw' and front_matter(src).get('title'): return str(front_matter(src)['title'])
        m = re.search(r'^#\s+(.+)$', src, re.M)
        if c['cell_type'] == 'markdown' and m: return m.group(1).strip()
    return 'cxr_notes'

def _no_quarto_attrs(md): return re.sub(r'\)\{target="_blank"[^}]*\}', ')', md)   # show_doc's source links carry them

def clean(nb):
    "Apply the Quarto-style directives the processed notebooks carry; turn front matter into a heading"
    import nbformat
    cells = []
    for c in nb.cells:
        if c.cell_type == 'raw':
            fm = front_matter(c.source)
            if 'title' in fm:
                t = str(fm['title']); desc = str(fm.get('description', ''))
                cells.append(nbformat.v4.new_markdown_cell(f'# {t}' + (f'\n\n> {desc}' if desc else '')))
            continue
        if c.cell_type == 'code':
            d, body = directives(c.source)
            if d.get('include', 'true').lower() == 'false' or 'hide' in d: continue
            c.source = body
            if d.get('echo', 'true').lower() == 'false': c.metadata['jupyter'] = {'source_hidden': True}; c.metadata.setdefault('tags', []).append('hide_input')
            if d.get('output', 'true').lower() == 'false': c.outputs = []
            for o in c.outputs:
                if 'text/markdown' in o.get('data', {}): o.data['text/markdown'] = _no_quarto_attrs(o.data['text/markdown'])
        if c.cell_type == 'markdown':
            c.source = re.sub(r'\]\((?:nbs/)?([\w/]+)\.ipynb\)', r'](\1.html)', c.source)
            c.source = _no_quarto_attrs(c.source)
        cells.append(c)
    nb.cells = cells
    return nb

CSS = """body{margin:0;font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#222;line-height:1.5}
nav{position:fixed;top:0;left:0;bottom:0;width:240px;overflow:auto;background:#f6f8fa;border-right:1px solid #ddd;padding:1em}
nav a{display:block;color:#0366d6;text-decoration:none;padding:2px 0;font-size:14px} nav a.here{font-weight:bold;color:#000}
nav h3{font-size:13px;text-transform:uppercase;color:#666;margin:1em 0 .3em}
main{margin-left:280px;max-width:1000px;padding:1em 2em} pre{background:#f6f8fa;padding:.6em;overflow:auto;font-size:13px}
.jp-InputArea pre, .input_area pre{border-left:3px solid #9cf} .output_area pre, .jp-OutputArea pre{border-left:3px solid lightsalmon;background:#fff}
img{max-width:100%} table{border-collapse:collapse;font-size:13px} td,th{border:1px solid #ddd;padding:2px 6px}
blockquote{color:#555;border-left:4px solid #ddd;margin-left:0;padding-left:1em}"""

# Formulas are typeset offline by MathJax 2.7 from PyPI's jupyter-server-mathjax (the Jupyter team's package), copied
# into the site; it ships only the STIX-Web fonts, so those are configured. nbconvert's `basic` template has no
# MathJax script of its own (it ignores `mathjax_url`): each page gets these two.
MATHJAX_CONFIG = """<script type="text/x-mathjax-config">
MathJax.Hub.Config({tex2jax: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
                              processEscapes: true, processEnvironments: true},
                    'HTML-CSS': {availableFonts: [], webFont: 'STIX-Web', preferredFont: null, imageFont: null},
                    showMathMenu: false, messageStyle: 'none'});
</script>"""

def copy_mathjax(out:Path):
    "MathJax's files from the installed jupyter-server-mathjax into `out/mathjax`"
    try: import jupyter_server_mathjax
    except ImportError: raise SystemExit("the docs need jupyter-server-mathjax for formulas: pip install jupyter-server-mathjax")
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent/'static', out/'mathjax')

def build(out:Path):
    import nbformat
    from nbconvert import HTMLExporter
    from pygments.formatters import HtmlFormatter
    proc = process_notebooks()
    nbs = sorted(p for p in proc.rglob('*.ipynb') if '.ipynb_checkpoints' not in str(p))
    pages = []
    for p in nbs:
        rel = p.relative_to(proc).with_suffix('.html')
        pages.append((p, rel, page_title(json.loads(p.read_text()))))
    pages.sort(key=lambda x: (x[1].name != 'index.html', len(x[1].parts), str(x[1])))
    shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
    copy_mathjax(out)
    from traitlets.config import Config
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {'hide_input'}   # `#| echo: false`: the output without its code
    c.HTMLExporter.preprocessors = ['nbconvert.preprocessors.TagRemovePreprocessor']
    exp = HTMLExporter(config=c, template_name='basic', exclude_input_prompt=True, exclude_output_prompt=True)
    css = CSS + '\n' + HtmlFormatter().get_style_defs('.highlight')
    sections = {}
    for _, r, t in pages: sections.setdefault('Tutorials' if r.parts[0] == 'tutorials' else 'Reference', []).append((r, t))
    for p, rel, title in pages:
        body, _ = exp.from_notebook_node(clean(nbformat.read(p, as_version=4)))
        up = '../'*(len(rel.parts) - 1)
        nav = f'<a href="{up}index.html"><b>cxr_notes</b></a>'
        for sec in ['Reference', 'Tutorials']:
            nav += f'<h3>{sec}</h3>' + ''.join(f'<a href="{up}{r.as_posix()}" class="{"here" if r == rel else ""}">{html.escape(t)}</a>'
                                               for r, t in sections.get(sec, []) if r.name != 'index.html')
        page = (f'<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
                f'<title>{html.escape(title)} – cxr_notes</title><style>{css}</style>{MATHJAX_CONFIG}'
                f'<script src="{up}mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"></script></head>'
                f'<body><nav>{nav}</nav><main>{body}</main></body></html>')
        (out/rel).parent.mkdir(parents=True, exist_ok=True)
        (out/rel).write_text(page)
    print(f'{len(pages)} pages in {out}: ' + ', '.join(str(r) for _, r, _ in pages))
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--out', default=str(root/'_site')); a = ap.parse_args()
    build(Path(a.out))
