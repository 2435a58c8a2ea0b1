#!/usr/bin/env bash
# Renders the form templates (src/*.html, authored from the official template texts) to the
# PDF files the catalog serves (all share src/form.css). Needs Chromium and the Liberation fonts; run after editing a form.
set -euo pipefail
cd "$(dirname "$0")"
for source in src/*.html; do
  name="$(basename "$source" .html)"
  chromium --headless --disable-gpu --no-sandbox --no-pdf-header-footer \
    --print-to-pdf="$name.pdf" "file://$PWD/$source" 2>/dev/null
  echo "$name.pdf: $(stat -c %s "$name.pdf") bytes"
done
