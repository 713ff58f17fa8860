"""All 14 Grad-CAM maps for a batch of 16 images at 224 px: cxr_notes' one-pass path, its backward path, and
pytorch-grad-cam (one call per class), on the same DenseNet121 model and layer, beside the floor for any
Grad-CAM: one plain no-grad forward pass of the batch. Best of several repeats each.

    python benchmarks/gradcam_speed.py [--bs 16] [--size 224] [--repeats 5]

Targets: the one-pass path within 1.1x of one plain forward pass, and at least 10x faster than pytorch-grad-cam.
"""
import argparse, sys, time, warnings
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).parent))
warnings.filterwarnings('ignore')
from _record import record, parse
from cxr_notes.model import cxr_model
from cxr_notes.gradcam import gradcam, default_layer
from pytorch_grad_cam import GradCAM
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

p = argparse.ArgumentParser(); p.add_argument('--bs', type=int, default=16); p.add_argument('--size', type=int, default=224)
p.add_argument('--repeats', type=int, default=5); a = parse(p, smoke=dict(bs=2, size=64, repeats=1))
torch.manual_seed(0)
model = cxr_model('densenet121').eval()
x = torch.randn(a.bs, 1, a.size, a.size)

def best_of(f):
    f()  # warm-up
    ts = []
    for _ in range(a.repeats):
        t = time.perf_counter(); out = f(); ts.append(time.perf_counter() - t)
    return min(ts), out

def forward():
    with torch.no_grad(): return model(x)
t_fwd, _ = best_of(forward)
t_fast, m_fast = best_of(lambda: gradcam(model, x))
t_back, m_back = best_of(lambda: gradcam(model, x, fast=False))
ref = GradCAM(model=model, target_layers=[default_layer(model)])
t_ref, m_ref = best_of(lambda: np.stack([ref(input_tensor=x, targets=[ClassifierOutputTarget(c)]*a.bs) for c in range(14)], 1))
figs = dict(batch=a.bs, size=a.size, maps=a.bs*14,
            seconds=dict(plain_forward=round(t_fwd, 3), cxr_notes_one_pass=round(t_fast, 3), cxr_notes_backward=round(t_back, 3),
                         pytorch_grad_cam=round(t_ref, 3)),
            one_pass_over_forward=round(t_fast/t_fwd, 3), speedup_vs_pytorch_grad_cam=round(t_ref/t_fast, 1),
            max_difference=dict(one_pass_vs_backward=float((m_fast - m_back).abs().max()),
                                one_pass_vs_pytorch_grad_cam_mean=float(np.abs(m_fast.numpy() - m_ref).mean())))
figs['target_met'] = bool(figs['one_pass_over_forward'] <= 1.1 and figs['speedup_vs_pytorch_grad_cam'] >= 10)
record('gradcam_speed', figs, f'python benchmarks/gradcam_speed.py --bs {a.bs} --size {a.size} --repeats {a.repeats}')
