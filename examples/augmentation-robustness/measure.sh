#!/bin/sh
# Every measurement of the method examples' READMEs and of this example, one run at a time:
#   sh examples/augmentation-robustness/measure.sh [STEPS] [SEEDS]
# Budget: STEPS (default 390 = 5 epochs of the 5,000-image CIFAR-10 subset at batch 64),
# 16x16 images, convnet 16,32,64. Each run appends one JSON line to results/<name>.json.
set -e
cd "$(dirname "$0")/../.."
DATA=${SELFSUP_DATA:-../shared/data}/cifar10
STEPS=${1:-390}
SEEDS=${2:-"0 1"}
OUT=examples/augmentation-robustness/results
mkdir -p "$OUT"
run() { # name script args...
  name=$1; script=$2; shift 2
  [ -s "$OUT/$name.json" ] && { echo "have $name"; return; }
  echo "$(date -u +%H:%M:%S) $name (load $(cut -d' ' -f1-3 /proc/loadavg))"
  nice -n 10 node "$script" --data "$DATA/train" --eval "$DATA/test" --steps "$STEPS" --quiet --results "$OUT/$name.json" "$@"
  echo "$(date -u +%H:%M:%S) done (load $(cut -d' ' -f1-3 /proc/loadavg))"
}
BYOL=examples/augmentation-robustness/byol.mjs
for seed in $SEEDS; do
  run "random-init-s$seed" examples/simclr/train.mjs --steps 0 --seed "$seed"
  run "byol-full-s$seed" $BYOL --seed "$seed"
  run "simclr-full-s$seed" examples/simclr/train.mjs --seed "$seed"
  run "byol-crop-s$seed" $BYOL --augment crop-flip --seed "$seed"
  run "simclr-crop-s$seed" examples/simclr/train.mjs --augment crop-flip --seed "$seed"
  run "byol-fixed-target-s$seed" $BYOL --base-tau 1 --seed "$seed"
done
# The other methods of the examples, seed 0 (the numbers of their READMEs).
for m in simsiam barlow-twins vicreg; do run "$m-full-s0" "examples/$m/train.mjs" --seed 0; done
