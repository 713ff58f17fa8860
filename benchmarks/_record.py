"Write a benchmark's figures, with the machine they were measured on, to benchmarks/results/NAME.json"
import json, os, platform, sys, time
from pathlib import Path

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
    "Save `figures` with the command that reproduces them; print them too"
    out = Path(__file__).parent/'results'/f'{name}.json'
    out.parent.mkdir(exist_ok=True)
    res = dict(benchmark=name, command=command, date=time.strftime('%Y-%m-%d'), machine=machine(), figures=figures)
    out.write_text(json.dumps(res, indent=2) + '\n')
    print(json.dumps(res, indent=2))
    return out
