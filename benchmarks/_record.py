"Write a benchmark's figures, with the machine they were measured on, to benchmarks/results/NAME.json"
import json, os, platform, sys, time
from pathlib import Path

def machine()->dict:
    import numpy, torch
    cpu = platform.processor() or ''
    try: cpu = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
    except Exception: pass
    return dict(cpu=cpu, cores=os.cpu_count(), torch_threads=torch.get_num_threads(), python=platform.python_version(),
                torch=torch.__version__, numpy=numpy.__version__)

def record(name:str, figures:dict, command:str)->Path:
    "Save `figures` with the command that reproduces them; print them too"
    out = Path(__file__).parent/'results'/f'{name}.json'
    out.parent.mkdir(exist_ok=True)
    res = dict(benchmark=name, command=command, date=time.strftime('%Y-%m-%d'), machine=machine(), figures=figures)
    out.write_text(json.dumps(res, indent=2) + '\n')
    print(json.dumps(res, indent=2))
    return out
