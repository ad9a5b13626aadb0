#!/usr/bin/env bash
# Rebuild the vendored GOV.UK Frontend + MOJ Frontend assets for Safeguard.
#
#   bash frontend/assets/refresh.sh
#
# Needs Node/npm (developer machine only). Installs the exact versions pinned in
# package-lock.json, compiles safeguard.scss and copies the built JS and the
# images the CSS refers to into frontend/static/safeguard/. The output is
# committed, so the running platform needs neither Node nor a CDN.
#
# Deliberately NOT copied: fonts (GDS Transport, *.woff, *.woff2) and any
# crown / crest / Royal Arms / GOV.UK- or MOJ-branded icon, favicon, manifest
# or Open Graph image. Safeguard is not a GOV.UK service and must not use them.
set -euo pipefail

ASSETS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="$(cd "$ASSETS_DIR/.." && pwd)/static/safeguard"
NM="$ASSETS_DIR/node_modules"
GOVUK_DIST="$NM/govuk-frontend/dist/govuk"
MOJ_DIST="$NM/@ministryofjustice/frontend/moj"

cd "$ASSETS_DIR"

echo "==> npm ci"
npm ci --no-audit --no-fund --ignore-scripts

pkg_version() {
  node -p "require('$NM/$1/package.json').version"
}

# Start from a clean output directory so that the result depends only on the
# pinned packages (running the script twice gives identical output).
echo "==> cleaning $OUT_DIR"
rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR/images"

echo "==> compiling safeguard.scss"
"$NM/.bin/sass" \
  --no-source-map \
  --style=compressed \
  --load-path="$ASSETS_DIR" \
  "$ASSETS_DIR/safeguard.scss" "$OUT_DIR/safeguard.css"

echo "==> copying JavaScript"
# ES modules: include with <script type="module">. The .map files are copied
# too because the .min.js files end with a sourceMappingURL comment (Django's
# ManifestStaticFilesStorage fails on a missing source map).
cp "$GOVUK_DIST/govuk-frontend.min.js" "$GOVUK_DIST/govuk-frontend.min.js.map" "$OUT_DIR/"
cp "$MOJ_DIST/moj-frontend.min.js" "$MOJ_DIST/moj-frontend.min.js.map" "$OUT_DIR/"

echo "==> copying images"
# GOV.UK Frontend's images (favicon.ico/svg, govuk-icon-*, govuk-crest.svg,
# govuk-opengraph-image.png) and manifest.json are all the GOV.UK crown, so
# none of them is copied; its CSS only refers to govuk-crest.svg, which
# safeguard.scss resolves to `none`.
# MOJ Frontend: copy the generic UI icons (icon-*) only; skip
# govuk-logotype-crown.png and the moj-* crest / touch icon / Open Graph files.
find "$MOJ_DIST/assets/images" -maxdepth 1 -type f -name 'icon-*' \
  ! -iname '*crown*' ! -iname '*crest*' -exec cp {} "$OUT_DIR/images/" \;

# Make the copies' timestamps/permissions irrelevant to the result.
chmod 0644 "$OUT_DIR"/*.* "$OUT_DIR"/images/*

echo "==> writing VERSIONS.txt"
{
  echo "Built by frontend/assets/refresh.sh from frontend/assets/package-lock.json."
  echo "Do not edit files in this directory by hand; re-run the script instead."
  echo
  echo "govuk-frontend $(pkg_version govuk-frontend) (MIT licence, (c) Crown copyright / Government Digital Service)"
  echo "@ministryofjustice/frontend $(pkg_version @ministryofjustice/frontend) (MIT licence, (c) Ministry of Justice)"
  echo "sass $(pkg_version sass) (build tool only)"
  echo
  echo "Not included on purpose: GDS Transport font files, the GOV.UK crown,"
  echo "the Royal Arms / crest, and GOV.UK / MOJ favicons, app icons,"
  echo "manifest and Open Graph images (Safeguard is not a GOV.UK service)."
} > "$OUT_DIR/VERSIONS.txt"

echo "==> checking output"
fail=0
if grep -q "GDS Transport\|woff" "$OUT_DIR/safeguard.css"; then
  echo "ERROR: safeguard.css mentions GDS Transport or woff" >&2
  fail=1
fi
if find "$OUT_DIR" -iname '*crown*' -o -iname '*crest*' -o -iname '*.woff*' | grep -q .; then
  echo "ERROR: crown/crest/font file found in $OUT_DIR" >&2
  fail=1
fi
# Every url(...) in the CSS must point to a file that exists.
while IFS= read -r url; do
  case "$url" in
    /static/safeguard/*) [ -f "$OUT_DIR/${url#/static/safeguard/}" ] || { echo "ERROR: missing $url" >&2; fail=1; } ;;
    data:*) ;;
    *) echo "ERROR: unexpected url($url) in safeguard.css" >&2; fail=1 ;;
  esac
done < <(grep -o 'url([^)]*)' "$OUT_DIR/safeguard.css" | sed -e 's/^url(//' -e 's/)$//' -e "s/^[\"']//" -e "s/[\"']\$//" | sort -u)
[ "$fail" -eq 0 ] || exit 1

echo "==> done:"
(cd "$OUT_DIR" && find . -type f | LC_ALL=C sort | xargs ls -l | awk '{print "    " $5 "\t" $9}')
