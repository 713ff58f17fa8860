__version__ = "0.1.0"

# fastai 2.8 decorates a few activations with torch.jit.script at import, which torch 2.14 deprecates with a
# FutureWarning naming torch's own file: not the user's concern, and the only warning of its kind we silence.
import warnings as _warnings
_warnings.filterwarnings('ignore', message='`torch.jit.script` is deprecated', category=FutureWarning)
