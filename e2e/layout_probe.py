"""The in-page layout probe used by `test_layout.py`: page overflow and one-character-per-line text.

`PROBE_JS` runs in the page and returns a dict:
- `scroll` / `inner`: the document's scroll width and the window's inner width;
- `overflow`: up to 5 outermost elements that stick out past the right edge of the window and are not
  inside a horizontally scrolling box (what makes the page scroll sideways);
- `wraps`: elements whose own text has at least 2 CJK characters and whose rendered lines hold on
  average fewer than 1.5 characters each (Range.getClientRects gives one rectangle per line box), in a
  box less than 4 characters wide.
"""

from __future__ import annotations

PROBE_JS = r"""
() => {
  const inner = window.innerWidth;
  const de = document.documentElement;
  const scroll = Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0);
  const sel = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4 && e !== document.body; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(s + '#' + e.id); break; }
      const cls = (e.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean).slice(0, 2);
      if (cls.length) s += '.' + cls.join('.');
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const scrolls = (el) => {
    for (let e = el.parentElement; e && e !== document.body && e !== de; e = e.parentElement) {
      const ox = getComputedStyle(e).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
    }
    return false;
  };
  const overflow = [];
  if (scroll > inner + 1) {
    const all = document.body.querySelectorAll('*');
    for (const el of all) {
      if (overflow.length >= 5) break;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= inner + 1) continue;
      const p = el.parentElement;
      if (p && p !== document.body && p.getBoundingClientRect().right > inner + 1) continue;
      if (scrolls(el)) continue;
      if (getComputedStyle(el).position === 'fixed') continue;
      overflow.push({sel: sel(el), right: Math.round(r.right),
                     text: (el.innerText || '').trim().slice(0, 40)});
    }
  }
  if (scroll > inner + 1 && !overflow.length) {
    // No box sticks out: a run of text does (words that may not break, in a box that may not shrink).
    const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const rg = document.createRange();
    while (tw.nextNode() && overflow.length < 5) {
      const t = tw.currentNode;
      if (!t.nodeValue.trim() || !t.parentElement || scrolls(t)) continue;
      rg.selectNodeContents(t);
      const r = rg.getBoundingClientRect();
      if (r.width > 0 && r.right > inner + 1) {
        overflow.push({sel: sel(t.parentElement), right: Math.round(r.right),
                       text: t.nodeValue.trim().slice(0, 40)});
      }
    }
  }
  if (scroll > inner + 1 && !overflow.length) {
    // Still nothing: find the deepest element whose removal ends the overflow.
    let root = document.body, found = null;
    for (let depth = 0; depth < 12 && root; depth++) {
      let next = null;
      for (const el of root.children) {
        const old = el.style.display;
        el.style.display = 'none';
        const fits = de.scrollWidth <= inner + 1;
        el.style.display = old;
        if (fits) { next = el; break; }
      }
      if (!next) break;
      found = next; root = next;
    }
    if (found) overflow.push({sel: sel(found), right: Math.round(found.getBoundingClientRect().right),
                              text: (found.innerText || '').trim().slice(0, 40)});
  }
  const wraps = [];
  const cjk = /[\u3400-\u9fff\uf900-\ufaff]/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode() && wraps.length < 20) {
    const t = walker.currentNode;
    const text = t.nodeValue.replace(/\s+/g, '');
    const n = (text.match(cjk) || []).length;
    if (n < 2) continue;
    const own = t.parentElement.getBoundingClientRect();
    if (own.width <= 2 || own.height <= 2) continue;  // visually hidden (screen-reader text)
    range.selectNodeContents(t);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
    if (rects.length < 2) continue;
    const lines = new Set(rects.map((r) => Math.round(r.top))).size;
    if (lines < 2 || text.length > lines * 1.5) continue;
    // A short word split at the end of a long line is ordinary wrapping; a box a character or two wide
    // (a squeezed column, cell, flex item) is what this looks for.
    let box = t.parentElement;
    while (box && getComputedStyle(box).display.startsWith('inline')) box = box.parentElement;
    const em = parseFloat(getComputedStyle(t.parentElement).fontSize) || 14;
    if (box && box.clientWidth < em * 4) {
      wraps.push({sel: sel(t.parentElement), text: text.slice(0, 30), lines: lines});
    }
  }
  return {scroll, inner, overflow, wraps};
}
"""

# Wait until htmx has no request in flight (panels that load themselves), at most a few seconds.
SETTLED_JS = "() => !document.querySelector('.htmx-request')"
