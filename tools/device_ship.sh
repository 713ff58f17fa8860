#!/usr/bin/env bash
# What a lent GPU machine runs for the shipped model and the difficulty reference (issue 22), in one call:
#   the shipped model and its data-randomisation control (tools/ship_model.py, EPOCHS epochs), and the reference
#   difficulty run (benchmarks/synth_difficulty.py, DenseNet121 at 128 px, 10,000 images, 2 seeds), side by side.
# The three share the GPU, each from its own process (on an H200 each ran at about 14 s per epoch of 7,000 films beside the
# others); the films are drawn first, once, by all cores.
# Run from the repo root, with fastai and friends importable, and OUT set to the folder to leave results in:
#   OUT=/tmp/out CODE_COMMIT=$(git rev-parse HEAD) bash tools/device_ship.sh
# Results: $OUT/w/ (the two weights files with their provenance), $OUT/$NAME.json, and each job's log
set -u
EPOCHS=${EPOCHS:-12}; N=${N:-10000}; SEEDS=${SEEDS:-2}; WORKERS=${WORKERS:-5}; BUDGET=${BUDGET:-420}
DEVICE=${DEVICE:-cuda}; NAME=${NAME:-synth_difficulty_cnn}   # DEVICE=cpu NAME=smoke N=60 EPOCHS=1 SEEDS=1: a check that it runs
mkdir -p "$OUT/w"
export PYTHONUNBUFFERED=1 MPLBACKEND=Agg
t0=$(date +%s)
python3 - <<EOF 2>&1 | grep -v Warning
import time, torch; t = time.time()
from cxr_notes.dataset import make_synthetic_dataset
print('device:', torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu', flush=True)
for seed in (100, *range($SEEDS)): make_synthetic_dataset(n_images=$N, seed=seed)
print(f'films drawn in {time.time() - t:.0f} s', flush=True)
EOF
left=$(( BUDGET - ($(date +%s) - t0) ))
if [ "$left" -lt 30 ]; then echo "drawing the films used up the budget ($BUDGET s): nothing trained"; exit 1; fi
echo "drawn at $(( $(date +%s) - t0 )) s; $left s left for training"
export CXR_NOTES_WORKERS=$WORKERS OMP_NUM_THREADS=2
timeout $left python3 tools/ship_model.py --epochs $EPOCHS --n_images $N --dest "$OUT/w" --code_commit "${CODE_COMMIT:-}" > "$OUT/ship.log" 2>&1 &
timeout $left python3 tools/ship_model.py --epochs $EPOCHS --n_images $N --permuted --dest "$OUT/w" --code_commit "${CODE_COMMIT:-}" > "$OUT/permuted.log" 2>&1 &
timeout $left python3 benchmarks/synth_difficulty.py --n_images $N --seeds $SEEDS --device $DEVICE --num_workers $WORKERS --epochs 6 --bs 128 \
    --lr 3e-3 --cnn_only --name $NAME > "$OUT/difficulty.log" 2>&1 &
wait
cp benchmarks/results/$NAME.json "$OUT/" 2>/dev/null
echo "all done at $(( $(date +%s) - t0 )) s"
for f in ship permuted; do echo "== $f"; grep -v -i warn "$OUT/$f.log" | tail -12; done
echo "== difficulty"; grep -v -i warn "$OUT/difficulty.log" | grep -E "^seed|mean_auroc|Traceback|Error" | tail -12
