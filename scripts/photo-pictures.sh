#!/usr/bin/env bash
# The preview on a real client photo, for reading the docs beside it: renders the demo plan onto
# ../shared/photos/shaved-norwood-front.jpg from its hand-marked landmarks (the photo's README) as
#   before | shaved | after (healed), the zoomed crop, fresh, 5 and 10 years, and the 1.5 m view,
# into follicle-out/photo-pictures/ (not in git: the photo is a real person's, for test use only, so neither
# it nor pictures of it are committed; docs/photo-scalp.md quotes the figures measured on them).
#   bash scripts/photo-pictures.sh [PHOTO LANDMARKS.toml]
set -euo pipefail
cd "$(dirname "$0")/.."
photo=${1:-../shared/photos/shaved-norwood-front.jpg}
out=follicle-out/photo-pictures
if [ ! -f "$photo" ]; then
  echo "no photo at $photo (the shared photos sit beside the repository: ../shared/photos)" >&2
  exit 2
fi
mkdir -p "$out"
marks=${2:-$out/landmarks.toml}
if [ -z "${2:-}" ]; then
  # The hand marks of ../shared/photos/README.md (pixels, image as displayed).
  cat > "$marks" <<'MARKS'
[landmarks]
glabella = [202, 195]
lateral_canthus_right = [141, 210]
lateral_canthus_left = [276, 228]
MARKS
fi
cargo build --release -q --bin follicle
bin=target/release/follicle
"$bin" demo --out "$out/demo" -q
plan="$out/demo/plan.json"
"$bin" render "$plan" --photo "$photo" --landmarks "$marks" --out "$out/healed.png"
for state in fresh years:5 years:10; do
  "$bin" render "$plan" --photo "$photo" --landmarks "$marks" --state "$state" -q \
    --out "$out/${state/:/-}.png"
done
"$bin" render "$plan" --photo "$photo" --landmarks "$marks" --distance 150 -q --out "$out/healed-150cm.png"
echo "pictures in $out:"
ls -1 "$out"/*.png
