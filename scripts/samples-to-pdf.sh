#!/usr/bin/env sh
# Converts the sample reports to PDF for a visual check (not part of npm test):
#   npx tsx scripts/samples.ts [dir] && scripts/samples-to-pdf.sh [dir]      (default dir: samples)
# Needs LibreOffice (e.g. apt-get install libreoffice-writer-nogui) and CJK fonts (fonts-noto-cjk) to show Chinese;
# government fonts such as 方正小标宋简体 / 仿宋_GB2312 are substituted when they are not installed.
set -eu
dir="${1:-samples}"
office="$(command -v libreoffice || command -v soffice || true)"
if [ -z "$office" ]; then
  echo "libreoffice is not installed; skipping PDF conversion" >&2
  exit 0
fi
if ! ls "$dir"/*.docx >/dev/null 2>&1; then
  echo "no .docx files in $dir; run: npx tsx scripts/samples.ts $dir" >&2
  exit 1
fi
# A private profile keeps a running desktop LibreOffice from swallowing the conversion.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$office" -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$dir" "$dir"/*.docx
ls -1 "$dir"/*.pdf
