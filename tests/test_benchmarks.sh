#!/usr/bin/env bash
# Every benchmark in benchmarks/ runs in its smoke mode (tiny sizes; its record goes to a temporary folder, never over
# benchmarks/results/), so that none of them rots unnoticed. Real figures come from running them without --smoke.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
before=$(git status --porcelain -- benchmarks/results)
failed=0
for f in benchmarks/[!_]*.py; do
  t0=$SECONDS
  if out=$(python "$f" --smoke 2>&1); then
    echo "ok   $f ($((SECONDS - t0)) s)"
  else
    echo "FAIL $f ($((SECONDS - t0)) s):"; echo "$out" | tail -25; failed=1
  fi
done
after=$(git status --porcelain -- benchmarks/results)
if [ "$before" != "$after" ]; then echo "a smoke run wrote into benchmarks/results/:"; echo "$after"; failed=1; fi
exit $failed
