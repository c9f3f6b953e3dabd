#!/usr/bin/env bash
# Writes the format fixtures that FormatCompatibilityIT loads: a prepared dataset and the model bundle trained on
# it, for a sequence classifier (60 synthetic control sequences) and a forecaster (300 hours of ETTh1), as the
# build in this working tree writes them. Run from anywhere; it uses submit-scripts/spark-lstm (embedded Spark).
#
#   tests/src/test/resources/compat/regenerate.sh format-2
#
# Give a NEW directory name when the format version changes (format-2, ...), and keep the old directories: a
# test that fails on an old fixture shows a format break that needs a migration in the reader, not a fixture
# written again by the new code.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)"
NAME="${1:?usage: regenerate.sh DIRECTORY_NAME (e.g. format-2)}"
TARGET="$ROOT/tests/src/test/resources/compat/$NAME"
[[ -e "$TARGET" ]] && { echo "regenerate.sh: $TARGET exists; fixtures of a format are never rewritten" >&2; exit 2; }

# The inputs go under tests/target with paths relative to the repository root, so that the paths the manifests
# record are the same on every machine.
cd "$ROOT"
INPUT="tests/target/compat-input"
WORK="tests/target/compat-work"
rm -rf "$INPUT" "$WORK"
mkdir -p "$INPUT"
# Rows 1-10 of each block of 100 (one block per class).
awk 'NR % 100 >= 1 && NR % 100 <= 10' tests/data/synthetic_control/synthetic_control.data > "$INPUT/control-60.data"
head -301 tests/data/etth1/ETTh1.csv > "$INPUT/etth1-300.csv"

QUIET=(--master 'local[2]' --set 'spark.conf."spark.ui.enabled"=false')
submit-scripts/spark-lstm pipeline "${QUIET[@]}" --conf conf/datasets/synthetic-control.conf \
  --set input.path="$INPUT/control-60.data" --set sequences.rowsPerClass=10 \
  --set 'model.layers=[8]' --set model.learningRate=0.02 --set training.epochs=20 \
  --output "$WORK/classifier"
submit-scripts/spark-lstm pipeline "${QUIET[@]}" --conf conf/datasets/etth1.conf \
  --set input.path="$INPUT/etth1-300.csv" \
  --set split.trainEnd= --set split.validationEnd= --set split.testEnd= --set 'split.fractions=[0.6,0.2,0.2]' \
  --set timeseries.windowSteps=12 --set timeseries.horizonSteps=4 --set timeseries.strideSteps=4 \
  --set 'model.layers=[8]' --set model.learningRate=0.01 --set training.epochs=5 \
  --output "$WORK/forecaster"

# The dataset whole (manifest, markers, minibatch files) and the bundle; no checksums, reports or checkpoints.
for fixture in classifier forecaster; do
  mkdir -p "$TARGET/$fixture"
  (cd "$WORK/$fixture" && find data run/model -type f ! -name '.*.crc' -print0 \
    | xargs -0 cp --parents -t "$TARGET/$fixture")
  mv "$TARGET/$fixture/run/model" "$TARGET/$fixture/model"
  rmdir "$TARGET/$fixture/run"
done
du -sh "$TARGET"
