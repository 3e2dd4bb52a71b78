#!/bin/sh
# Build the wheel, install it into a fresh virtual environment and run sipdocs from a
# folder outside the repository: proves schemas/ and forms/ ship inside the wheel.
set -eu
PYTHON="${1:-python3}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$repo/.venv/bin/pip" wheel -q --no-deps -w "$work/dist" "$repo"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$work"/dist/sipdocs-*.whl
# the web app's templates and vendored htmx ship in the wheel (sipdocs serve needs the 'web' extra)
"$PYTHON" -m zipfile -l "$work"/dist/sipdocs-*.whl | grep -q 'sipdocs/web/static/htmx.min.js'
"$PYTHON" -m zipfile -l "$work"/dist/sipdocs-*.whl | grep -q 'sipdocs/web/templates/document.html'
cp "$repo/samples/invitation.json" "$repo/samples/plan.json" "$work/"
cd "$work"
"$work/venv/bin/sipdocs" validate invitation.json plan.json
"$work/venv/bin/python" -m sipdocs kinds >/dev/null
# without the 'web' extra, `sipdocs serve` says what to install (exit 2) instead of a traceback
if "$work/venv/bin/sipdocs" serve --no-browser 2>"$work/serve.err"; then exit 1; fi
grep -q "sipdocs\[web\]" "$work/serve.err"
"$work/venv/bin/python" - <<'PY'
import sipdocs, pathlib
from sipdocs.resources import data_root
root = data_root()
assert "site-packages" in str(root), root
assert (root / "schemas" / "invitation.schema.json").is_file()
assert (root / "forms" / "national" / "pack.toml").is_file()
assert (pathlib.Path(sipdocs.__file__).parent / "py.typed").is_file(), "py.typed is not in the wheel"
print("wheel-check: data from", root)
PY
if "$work/venv/bin/sipdocs" render --help >/dev/null 2>&1; then
  "$work/venv/bin/sipdocs" render invitation.json plan.json -o out --to docx,pdf
  ls out | grep -q '\.docx$'
  ls out | grep -q '\.pdf$'
fi
echo "wheel-check: ok"
