#!/usr/bin/env bash
# The wheel works without npm: build it (npm fetches KaTeX now, at package-build time), install
# it into a fresh virtual environment, take every folder holding npm or node off PATH, and
# build a small math page with `mkdocs build --strict`; the page must hold KaTeX's markup and
# the fence's output. Run by .ci/run (and `make wheel-check`); needs npm only for the build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" .
wheel="$(ls "$work"/dist/mkdocs_infotheory-*.whl)"
listing="$("$PYTHON" -m zipfile -l "$wheel")"
grep -q "mkdocs_infotheory/math/_assets/katex/katex.min.js" <<<"$listing" \
  || { echo "check-wheel: $wheel has no KaTeX assets" >&2; exit 1; }

"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel"

# PATH without npm and node: every folder that holds either is left out.
clean_path="$work/venv/bin"
IFS=: read -r -a folders <<<"$PATH"
for folder in "${folders[@]}"; do
  [[ -z "$folder" || -e "$folder/npm" || -e "$folder/node" || -e "$folder/nodejs" ]] && continue
  clean_path+=":$folder"
done
if PATH="$clean_path" command -v npm >/dev/null 2>&1 \
  || PATH="$clean_path" command -v node >/dev/null 2>&1; then
  echo "check-wheel: npm or node is still on PATH" >&2
  exit 1
fi

site="$work/site-src"
mkdir -p "$site/docs"
cat >"$site/mkdocs.yml" <<'YAML'
site_name: Wheel check
theme: material
plugins:
  - search
  - infotheory
YAML
cat >"$site/docs/index.md" <<'MD'
# Entropy

The entropy of a fair coin, $H(X) = -\sum_x p(x) \log_2 p(x)$, is one bit:

```python exec="on"
print(f"H = {entropy([0.5, 0.5]):.3f} bits")
```
MD

(cd "$site" && env -i HOME="$work" PATH="$clean_path" LANG=C.UTF-8 NO_MKDOCS_2_WARNING=1 \
  mkdocs build --strict --quiet)

"$work/venv/bin/python" - "$site/site/index.html" <<'PY'
"""The built page: KaTeX's markup around the formula, and the fence's output."""
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.katex = 0
        self.mathml = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = (dict(attrs).get("class") or "").split()
        self.katex += "katex" in classes
        self.mathml += tag == "math"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


page = Page()
page.feed(open(sys.argv[1], encoding="utf-8").read())
text = "".join(page.text)
problems = []
if not page.katex or not page.mathml:
    problems.append(f"no KaTeX markup (katex elements: {page.katex}, math: {page.mathml})")
if "H = 1.000 bits" not in text:
    problems.append("the fence's output 'H = 1.000 bits' is missing")
if problems:
    sys.exit("check-wheel: " + "; ".join(problems))
print(f"check-wheel: {sys.argv[1]}: KaTeX markup and fence output present, built without npm")
PY
