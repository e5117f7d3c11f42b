#!/usr/bin/env bash
# What `make run` needs at run time beyond Python: Chromium and the Noto CJK fonts (report PDFs and the
# Word report's chart images; the Noto CJK font alone draws every document's PDF, ADR 0020). Installs them with apt when running as root and they are missing, like
# scripts/system-deps.sh; otherwise says what is missing. Never fails the run: without them the pages
# offering a PDF say what is missing (zhixing.core.browser). ZHIXING_SKIP_RUN_DEPS=1 skips every check.
set -u
if [ "${ZHIXING_SKIP_RUN_DEPS:-}" = "1" ]; then
  echo "run-deps: skipped (ZHIXING_SKIP_RUN_DEPS=1)"
  exit 0
fi

have_chromium() {
  if [ -n "${ZHIXING_CHROMIUM:-}" ]; then [ -x "$ZHIXING_CHROMIUM" ]; return; fi
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}

have_cjk_font() {
  if command -v fc-list >/dev/null 2>&1; then
    [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]
  else
    [ -d "${ZHIXING_CJK_FONT_DIR:-/usr/share/fonts/opentype/noto}" ]
  fi
}

need=()
have_chromium || need+=(chromium)
have_cjk_font || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then
  echo "run-deps: chromium and CJK fonts present (document PDFs, PDF reports and chart images available)"
  exit 0
fi

if [ "$(id -u 2>/dev/null || echo 1)" != "0" ]; then
  echo "run-deps: missing ${need[*]}; not root, so not installing."
  echo "run-deps: install with: sudo apt-get install -y ${need[*]}  (or: sudo make system-deps)"
  echo "run-deps: until then the report PDF button says what is missing; everything else works."
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
  echo "run-deps: apt-get could not install ${need[*]} (offline?); the report PDF button will say what is missing."
fi
exit 0
