#!/usr/bin/env bash
# Takes the viewer screenshots shown in the README from a real window under Xvfb:
#   docs/viewer-1x3.png  the sample abdominal CT in the 1×3 layout (axial, coronal, sagittal)
# Needs xvfb-run, xauth and ImageMagick's `import` (apt-get install -y --no-install-recommends
# xvfb xauth imagemagick libgtk-3-0). Rerun it any time: it builds the app first if needed.
# SETTLE_S (default 25) is how long the viewer gets to open and load before the shot.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/docs"
SETTLE_S="${SETTLE_S:-25}"
for tool in xvfb-run import; do
  command -v "$tool" >/dev/null || {
    echo "screenshots.sh: $tool is missing (apt-get install -y --no-install-recommends xvfb xauth imagemagick libgtk-3-0)" >&2
    exit 1
  }
done

"$ROOT/voxelwise" --version >/dev/null # builds the app when sources changed

# shot NAME ARGS...: opens the viewer with ARGS on a fresh X server, waits, grabs the screen.
shot() {
  local name="$1"
  shift
  export TMP_PNG="$OUT/.$name.tmp.png"
  # The X server's screen is 1280×900 and black; the undecorated 1200×800 window is trimmed out.
  xvfb-run -a -s '-screen 0 1280x900x24' bash -c '
    "$0" view "$@" &
    viewer=$!
    sleep "$SETTLE_S"
    import -window root -trim +repage "$TMP_PNG"
    kill "$viewer"
    wait "$viewer" 2>/dev/null || true
  ' "$ROOT/voxelwise" "$@"
  mv "$TMP_PNG" "$OUT/$name.png"
  echo "wrote $OUT/$name.png"
}

export SETTLE_S
shot viewer-1x3 "$ROOT/sample-data/abdomen-ct/ct" --layout 1x3
shot viewer-1x3-labels "$ROOT/sample-data/abdomen-ct/ct" --layout 1x3 \
  --labels "$ROOT/sample-data/abdomen-ct/seg.dcm"
