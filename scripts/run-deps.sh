#!/usr/bin/env bash
# What `make run` needs at run time beyond Python: the Noto CJK fonts (every document's PDF is drawn with
# them by fpdf2, ADR 0021; no browser is needed at run time). Installs them with apt when running as root
# and they are missing, like scripts/system-deps.sh; otherwise says what is missing. Never fails the run:
# without them the pages offering a PDF say what is missing (zhixing.documents.pdf.support).
# ZHIXING_SKIP_RUN_DEPS=1 skips every check.
set -u
if [ "${ZHIXING_SKIP_RUN_DEPS:-}" = "1" ]; then
  echo "run-deps: skipped (ZHIXING_SKIP_RUN_DEPS=1)"
  exit 0
fi

have_cjk_font() {
  if command -v fc-list >/dev/null 2>&1; then
    [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]
  else
    [ -d "${ZHIXING_CJK_FONT_DIR:-/usr/share/fonts/opentype/noto}" ]
  fi
}

need=()
have_cjk_font || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then
  echo "run-deps: CJK fonts present (document PDFs available)"
  exit 0
fi

if [ "$(id -u 2>/dev/null || echo 1)" != "0" ]; then
  echo "run-deps: missing ${need[*]}; not root, so not installing."
  echo "run-deps: install with: sudo apt-get install -y ${need[*]}  (or: sudo make system-deps)"
  echo "run-deps: until then the documents pages say what is missing instead of a PDF link; Word works."
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "run-deps: missing ${need[*]}; apt-get not found, install them with this system's package manager."
  exit 0
fi

echo "run-deps: installing ${need[*]} with apt-get"
if DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
  echo "run-deps: installed ${need[*]}"
else
  echo "run-deps: apt-get could not install ${need[*]} (offline?); the documents pages will say what is missing."
fi
exit 0
