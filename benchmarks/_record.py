"Write a benchmark's figures, with the machine they were measured on, to benchmarks/results/NAME.json"
import json, os, platform, sys, time, tempfile
from pathlib import Path

SMOKE = False   # set by `parse` when a script runs with --smoke: records then go to a temporary folder

def parse(parser, smoke:dict):
    "Parse the command line with a `--smoke` flag added: tiny sizes (`smoke` overrides the defaults), records kept out of results/"
    global SMOKE
    parser.add_argument('--smoke', action='store_true', help='tiny sizes, to check that the script runs; records go to a temporary folder')
    a = parser.parse_args()
    if a.smoke:
        SMOKE = True
        for k, v in smoke.items(): setattr(a, k, v)
        os.environ['CXR_NOTES_HOME'] = tempfile.mkdtemp(prefix='cxr_smoke_')   # small datasets and models of its own, kept nowhere
    return a

def machine()->dict:
    import numpy, torch
    cpu = platform.processor() or ''
    flags = []
    try:
        info = open('/proc/cpuinfo').read().splitlines()
        cpu = next(l.split(':', 1)[1].strip() for l in info if l.startswith('model name'))
        flags = sorted(f for f in next(l.split(':', 1)[1] for l in info if l.startswith('flags')).split()
                       if f.startswith(('amx', 'avx512', 'avx2', 'fma')))     # what decides bf16 and vector speed
    except Exception: pass
    return dict(cpu=cpu, cpu_flags=flags, bf16=any(f in flags for f in ('amx_bf16', 'avx512_bf16')), cores=os.cpu_count(), torch_threads=torch.get_num_threads(), python=platform.python_version(),
                torch=torch.__version__, numpy=numpy.__version__)

def record(name:str, figures:dict, command:str)->Path:
    "Save `figures` with the command that reproduces them (under a temporary folder in a smoke run); print them too"
    out = (Path(tempfile.mkdtemp()) if SMOKE else Path(__file__).parent/'results')/f'{name}.json'
    out.parent.mkdir(exist_ok=True)
    res = dict(benchmark=name, command=command, date=time.strftime('%Y-%m-%d'), machine=machine(), figures=figures)
    out.write_text(json.dumps(res, indent=2) + '\n')
    print(json.dumps(res, indent=2))
    if SMOKE: print(f"smoke run: recorded in {out}, not in benchmarks/results/")
    return out
