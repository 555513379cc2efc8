#!/usr/bin/env bash
# Regenerate the README's screenshots with the real window at the projector size (1280x720):
# the default scene, one teaching overlay, side by side, 3D, a data scene, a phase diagram and
# two network scenes. Needs Xvfb and a Vulkan
# driver (Debian: xvfb, mesa-vulkan-drivers). Usage: tools/screenshots.sh [target/release/descent]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/descent}
[ -x "$bin" ] || cargo build --release
out=docs/screenshots
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'kill "${xvfb:-0}" 2>/dev/null || true; rm -rf "$scratch"' EXIT
Xvfb :97 -screen 0 1280x720x24 >/dev/null 2>&1 & xvfb=$!
sleep 1
# A preset with one field changed: its layout.
with_layout() { sed "s/^)\$/    layout: $2,\n)/" "presets/$1.ron" > "$scratch/$1-$2.ron"; echo "$scratch/$1-$2.ron"; }
shot() { DISPLAY=:97 WAYLAND_DISPLAY= "$bin" --screenshot "$out/$1.png" --frames "$2" ${3:+"$3"}; }
shot default 90
shot overlay-forces 150 presets/02-canyon-momentum.ron
shot side-by-side 150 "$(with_layout 08-rosenbrock-first-order SideBySide)"
shot 3d 150 "$(with_layout 06-two-wells ThreeD)"
shot data 120 presets/24-lbfgs-minibatch.ron
shot phase 240 presets/27-heavy-ball-phase.ron
shot network-spirals 420 presets/29-spirals-optimizers.ron
shot network-edge-of-stability 600 presets/30-edge-of-stability.ron
ls -l "$out"
