#!/usr/bin/env bash
# The GPU check, in one command, for a machine with an NVIDIA GPU:
#
#     . .venv/bin/activate && bash bench/gpu_check.sh [--install-cuda12]
#
# from the repository root, in an environment where `pip install -e .` was
# done with a CUDA build of PyTorch. It
#   1. prints the GPU, driver and library versions, and what each engine sees;
#   2. runs the device tests (CPU only, with CUDA simulated);
#   3. translates FLORES-200 devtest Arabic (1012 sentences, from ../shared)
#      with a real-size opus-mt-ar-en model with random weights and the
#      end-of-sentence logit pushed down (every engine does equal work): the
#      default command (engine and device auto), then each engine with
#      --device cuda, then CTranslate2 int8 on the CPU, recording exit code,
#      time, and any warning or error line, and failing if any run prints a
#      traceback or if the default command does not translate;
#   4. with --install-cuda12, installs the `cuda12` extra's package
#      (nvidia-cublas-cu12) and repeats the CTranslate2 CUDA run;
#   5. runs bench/translate_speed.py --device cuda on the same input, and the
#      CTranslate2 int8 CPU row with every core, for the GPU table in docs/benchmarks.md.
# Everything goes to gpu-check-<time>/ (summary.txt holds the figures).
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
SHARED=${TOOLKIT_SHARED:-$REPO/../shared}
FLORES=$SHARED/refdata/flores200-devtest/flores200-devtest.arb_Arab.txt
OUT=$REPO/gpu-check-$(date -u +%Y%m%dT%H%M%SZ)
INSTALL_CUDA12=0
[ "${1:-}" = "--install-cuda12" ] && INSTALL_CUDA12=1
mkdir -p "$OUT"
SUMMARY=$OUT/summary.txt
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TOOLKIT_CACHE_DIR=$WORK/toolkit-cache PYTHONPATH=$REPO${PYTHONPATH:+:$PYTHONPATH}
failed=0
say() { echo "$*" | tee -a "$SUMMARY"; }

[ -f "$FLORES" ] || { echo "missing $FLORES (../shared beside the repository)" >&2; exit 2; }

say "== environment"
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,memory.free --format=csv 2>&1 | tee -a "$SUMMARY"
else
    say "nvidia-smi not found"
fi
python - <<'EOF' 2>&1 | tee -a "$SUMMARY"
import ctranslate2, torch, transformers
print(f"torch {torch.__version__} (CUDA {torch.version.cuda}), cuda available {torch.cuda.is_available()}")
print(f"transformers {transformers.__version__}, ctranslate2 {ctranslate2.__version__}, "
      f"CTranslate2 CUDA devices {ctranslate2.get_cuda_device_count()}")
from toolkit.translate.ct2 import load_cuda12_libraries
print(f"cuBLAS 12 from the cuda12 extra: {load_cuda12_libraries() or 'not installed'}")
EOF

say "== device tests (CPU, CUDA simulated)"
python -m pytest -q tests/test_translate_device.py 2>&1 | tail -3 | tee -a "$SUMMARY" || failed=1

say "== building the real-size random model"
python - "$WORK/model" <<'EOF'
import sys
from pathlib import Path
sys.path.insert(0, "bench")
from translate_speed import build_model
build_model(Path(sys.argv[1]))
EOF
# LINES=N uses the first N sentences only (a quick trial of this script).
LINES=${LINES:-0}
if [ "$LINES" -gt 0 ]; then head -n "$LINES" "$FLORES" >"$WORK/flores-devtest.txt"; else cp "$FLORES" "$WORK/flores-devtest.txt"; fi
# CPU_LINES=N: the CTranslate2 CPU run of `toolkit translate` on the first N of
# those only. It checks the exit code and output, not speed (the CPU figure is
# the bench's), and decodes up to twice each input's length plus 10 tokens, so
# the whole devtest takes minutes on a few cores where the GPU runs take seconds.
CPU_LINES=${CPU_LINES:-0}
if [ "$CPU_LINES" -gt 0 ]; then head -n "$CPU_LINES" "$WORK/flores-devtest.txt" >"$WORK/flores-cpu.txt"
else cp "$WORK/flores-devtest.txt" "$WORK/flores-cpu.txt"; fi

# translate NAME ARGS...: one `toolkit translate` run over FLORES devtest.
translate() {
    local name=$1; shift
    local start end rc
    start=$(date +%s.%N)
    python -m toolkit translate "${INPUT:-$WORK/flores-devtest.txt}" --model "$WORK/model" --no-cache --format json \
        --out "$WORK/out-$name" "$@" >"$OUT/$name.stdout" 2>"$OUT/$name.stderr"
    rc=$?
    end=$(date +%s.%N)
    local secs
    secs=$(python -c "print(f'{$end - $start:.1f}')")
    local used
    used=$(python -c "import json,sys; m=json.load(open(sys.argv[1]))['manifest']; print(m['engine'], m['compute_type'], 'on', m['device'])" \
        "$WORK/out-$name/translation.json" 2>/dev/null || echo "-")
    say "$name: exit $rc, ${secs}s wall (load included), ran: $used"
    sed 's/^/    /' "$OUT/$name.stderr" | grep -v '^ *$' | tee -a "$SUMMARY"
    if grep -q Traceback "$OUT/$name.stderr"; then say "    FAIL: traceback"; failed=1; fi
    if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then say "    FAIL: exit code $rc"; failed=1; fi
    return $rc
}

say "== toolkit translate, FLORES-200 devtest ($(wc -l <"$WORK/flores-devtest.txt") lines), beam 4"
translate default || { say "    FAIL: the default command must translate"; failed=1; }
translate ct2-cuda --engine ctranslate2 --device cuda
translate hf-cuda --engine transformers --device cuda
say "== CTranslate2 on the CPU ($(wc -l <"$WORK/flores-cpu.txt") lines)"
INPUT=$WORK/flores-cpu.txt translate ct2-cpu --engine ctranslate2 --device cpu

if [ "$INSTALL_CUDA12" = 1 ]; then
    say "== with the cuda12 extra (nvidia-cublas-cu12)"
    pip install -q 'nvidia-cublas-cu12>=12.1,<13' 2>&1 | tail -2 | tee -a "$SUMMARY"
    translate ct2-cuda-extra --engine ctranslate2 --device cuda
    translate default-extra
fi

say "== bench/translate_speed.py --device cuda (FLORES devtest, 40 output tokens, beam 4)"
python bench/translate_speed.py --device cuda --input flores --beams 4 --repeat 1 --limit "$LINES" \
    >"$OUT/bench-cuda.md" 2>"$OUT/bench-cuda.log"
cat "$OUT/bench-cuda.md" | tee -a "$SUMMARY"
say "== the same, CTranslate2 int8 on the CPU with $(nproc) threads"
python bench/translate_speed.py --device cpu --input flores --beams 4 --repeat 1 --runners ctranslate2 --limit "$LINES" \
    --threads "$(nproc)" >"$OUT/bench-cpu.md" 2>"$OUT/bench-cpu.log"
cat "$OUT/bench-cpu.md" | tee -a "$SUMMARY"
python - "$OUT/bench-cuda.md" "$OUT/bench-cpu.md" <<'EOF' 2>&1 | tee -a "$SUMMARY"
import sys
def times(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[1] == "4":
            try:
                rows[cells[0].split(" (")[0]] = float(cells[2])
            except ValueError:
                pass
    return rows
gpu, cpu = times(sys.argv[1]), times(sys.argv[2])
ours = gpu.get("toolkit default path")
raw = [v for k, v in gpu.items() if not k.startswith("toolkit")]
ct2_cpu = cpu.get("CTranslate2 int8")
if ours and raw:
    print(f"target 1: toolkit default / fastest raw GPU baseline = {ours / min(raw):.2f} (want <= 1.5)")
if ours and ct2_cpu:
    print(f"target 2: CTranslate2 int8 CPU / toolkit default on GPU = {ct2_cpu / ours:.2f} (want >= 3)")
EOF

say "== result: $([ $failed = 0 ] && echo PASS || echo FAIL) (details in $OUT)"
exit $failed
