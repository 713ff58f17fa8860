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
from nbdev.doclinks import _nbpath2html   # nbdev's page names: 00_data.ipynb -> data.html

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
nav input{width:100%;box-sizing:border-box;margin:.6em 0;padding:4px 6px;font-size:14px}
#results a{font-size:13px;border-bottom:1px solid #eee} #results small{color:#666}
.toc{border:1px solid #ddd;background:#fafbfc;padding:.4em 1em;margin:0 0 1em;font-size:14px}
.toc b{display:block} .toc a{text-decoration:none;color:#0366d6} .toc ul{margin:.2em 0;padding-left:1.2em}
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

def sidebar()->list:
    "[(section title, [notebook paths])] from nbs/sidebar.yml; index.ipynb is the home page, outside the sections"
    import yaml
    items = yaml.safe_load((root/'nbs'/'sidebar.yml').read_text())['website']['sidebar']['contents']
    return [(i['section'], list(i['contents'])) for i in items if isinstance(i, dict)]

def local_links(body:str, rel:Path, ids:dict)->str:
    "Links to the published docs (nbdev's doc links, the index's page links) made relative, anchors as the target spells them"
    from nbdev.config import get_config
    cfg = get_config(); base = f"{cfg.doc_host}{cfg.doc_baseurl}".rstrip('/') + '/'
    up = '../'*(len(rel.parts) - 1)
    def fix(m):
        path, anchor = m.group(1) or 'index.html', m.group(2)
        target = Path(path)
        if target not in ids: return m.group(0)   # not one of our pages: leave it to the test
        if anchor:   # Quarto lowercases anchors; nbconvert keeps the case. A name without an entry of its own
            # (a method, a private helper) links to its class's entry, or else to the top of its page.
            for name in (anchor[1:], anchor[1:].split('.')[0]):
                found = [i for i in ids[target] if i.lower() == name.lower()]
                if found: anchor = '#' + found[0]; break
            else: anchor = ''
        return f'href="{up}{target.as_posix()}{anchor or ""}"'
    return re.sub(r'href="' + re.escape(base) + r'([^"#]*)(#[^"]*)?"', fix, body)

SEARCH_JS = """<script>
// Client-side search with lunr.js over an index prebuilt by Python's lunr (search_index.js), so that it works
// from file:// too. ?q=... in the address searches on load.
function cxrSearch(q, up) {
  var out = document.getElementById('results'); out.innerHTML = '';
  q = (q || '').trim(); if (!q) return;
  var idx = window.cxrIndex || (window.cxrIndex = lunr.Index.load(CXR_SEARCH.index)), hits = [];
  // each word as typed (stemmed, as the index is) or as a prefix (unstemmed), so that partial words match too
  try { hits = idx.search(q.split(/\\s+/).map(function (t) { return t + ' ' + t + '*'; }).join(' ')); } catch (e) { hits = idx.search(q); }
  hits.slice(0, 12).forEach(function (h) {
    var d = CXR_SEARCH.docs[h.ref], a = document.createElement('a');
    a.href = up + d.url; a.innerHTML = d.title + ' <small>' + d.page + '</small>'; out.appendChild(a);
  });
  if (!hits.length) out.textContent = 'no match';
}
</script>"""

def sections_of(body:str, rel:Path)->list:
    "The page cut at its h1-h3 headings: one search document per section (url with anchor, title, text)"
    from html import unescape
    parts = re.split(r'(<h[1-3][^>]*>.*?</h[1-3]>)', body, flags=re.S)
    docs, title, anchor = [], None, ''
    def text(h): return unescape(re.sub(r'<[^>]+>', ' ', h)).replace('¶', '').strip()
    for part in parts:
        m = re.match(r'<h[1-3][^>]*\bid="([^"]+)"[^>]*>', part)
        if m: title, anchor = text(part), m.group(1); continue
        body_text = ' '.join(text(re.sub(r'<(script|style)\b.*?</\1>', ' ', part, flags=re.S)).split())
        if title or body_text: docs.append(dict(url=f"{rel.as_posix()}#{anchor}" if anchor else rel.as_posix(), title=title or '', body=body_text[:20000]))
    return docs

def toc(body:str)->str:
    "An on-page table of contents from the h2 and h3 headings"
    from html import unescape
    items = [(int(l), i, unescape(re.sub(r'<[^>]+>', '', t)).replace('¶', '').strip())
             for l, i, t in re.findall(r'<h([23])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', body, flags=re.S)]
    if len(items) < 2: return ''
    lis = ''.join(f'<li style="margin-left:{(l - 2)*1.2}em"><a href="#{i}">{html.escape(t)}</a></li>' for l, i, t in items)
    return f'<div class="toc"><b>On this page</b><ul>{lis}</ul></div>'

def build(out:Path):
    import nbformat
    from nbconvert import HTMLExporter
    from pygments.formatters import HtmlFormatter
    proc = process_notebooks()
    nbs = {p.relative_to(proc).as_posix(): p for p in proc.rglob('*.ipynb') if '.ipynb_checkpoints' not in str(p)}
    # The order and sections of the committed sidebar (nbs/sidebar.yml, as Quarto reads it); page names as nbdev's
    # `output-file` makes them (00_data.ipynb -> data.html), so that links work offline and on the published site.
    sections = sidebar()
    listed = [n for _, names in sections for n in names]
    missing = sorted(set(nbs) - set(listed) - {'index.ipynb'})
    if missing: raise SystemExit(f"nbs/sidebar.yml does not list {', '.join(missing)}: add them")
    pages = [(nbs[n], _nbpath2html(Path(n)), page_title(json.loads(nbs[n].read_text()))) for n in ['index.ipynb'] + listed if n in nbs]
    shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
    copy_mathjax(out)
    from traitlets.config import Config
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = {'hide_input'}   # `#| echo: false`: the output without its code
    c.HTMLExporter.preprocessors = ['nbconvert.preprocessors.TagRemovePreprocessor',
                                    'nbconvert.preprocessors.CoalesceStreamsPreprocessor']   # one box per cell's printed output
    exp = HTMLExporter(config=c, template_name='basic', exclude_input_prompt=True, exclude_output_prompt=True)
    css = CSS + '\n' + HtmlFormatter().get_style_defs('.highlight')
    bodies = {rel: exp.from_notebook_node(clean(nbformat.read(p, as_version=4)))[0] for p, rel, _ in pages}
    ids = {rel: set(re.findall(r'\bid="([^"]+)"', b)) for rel, b in bodies.items()}
    titles = {r: t for _, r, t in pages}
    bodies = {rel: local_links(b, rel, ids) for rel, b in bodies.items()}
    from lunr import lunr
    docs = [dict(d, page=titles[rel]) for rel in bodies for d in sections_of(bodies[rel], rel)]
    docs = [dict(d, id=str(k)) for k, d in enumerate(docs)]
    index = lunr(ref='id', fields=[dict(field_name='title', boost=10), 'body'], documents=docs)
    (out/'search_index.js').write_text('var CXR_SEARCH = ' + json.dumps(dict(index=index.serialize(), docs={d['id']: dict(url=d['url'], title=html.escape(d['title'] or d['page']), page=html.escape(d['page'])) for d in docs})) + ';')
    shutil.copy(root/'tools'/'docs_assets'/'lunr.min.js', out/'lunr.min.js')
    for p, rel, title in pages:
        up = '../'*(len(rel.parts) - 1)
        nav = (f'<a href="{up}index.html"><b>cxr_notes</b></a><input id="search" type="search" placeholder="Search the docs" '
               f'oninput="cxrSearch(this.value, \'{up}\')"><div id="results"></div>')
        for sec, names in sections:
            nav += f'<h3>{html.escape(sec)}</h3>' + ''.join(
                f'<a href="{up}{r.as_posix()}" class="{"here" if r == rel else ""}">{html.escape(titles[r])}</a>'
                for r in (_nbpath2html(Path(n)) for n in names))
        body = bodies[rel]
        m = re.search(r'</h1>', body)   # the table of contents under the page's title
        if m: body = body[:m.end()] + toc(body) + body[m.end():]
        page = (f'<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
                f'<title>{html.escape(title) + " – cxr_notes" if title != "cxr_notes" else "cxr_notes"}</title><style>{css}</style>{MATHJAX_CONFIG}'
                f'<script src="{up}mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"></script>'
                f'<script src="{up}lunr.min.js"></script><script src="{up}search_index.js"></script>{SEARCH_JS}</head>'
                f'<body><nav>{nav}</nav><main>{body}</main>'
                f'<script>var q = new URLSearchParams(location.search).get("q"); if (q) {{ document.getElementById("search").value = q; cxrSearch(q, "{up}"); }}</script>'
                f'</body></html>')
        (out/rel).parent.mkdir(parents=True, exist_ok=True)
        (out/rel).write_text(page)
    print(f'{len(pages)} pages in {out}: ' + ', '.join(str(r) for _, r, _ in pages))
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--out', default=str(root/'_site')); a = ap.parse_args()
    build(Path(a.out))
