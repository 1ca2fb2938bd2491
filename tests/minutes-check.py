#!/usr/bin/env python3
"""tests/minutes-check.py - typography checks on the trace of a minutes document.

Usage: minutes-check.py TRACE [--bbox BBOX.html] [--units FILE] [--margins T,B,L,R]
                        [--indent PT] [--body-size PT]

TRACE is `vanban minutes ... --format trace -o -`. Each check prints one line,
"ok NAME" or "FAIL NAME: what, where"; the exit status is 1 if any failed.

Checks (README "Minutes"; spec §1.1, §1.3, §1.8):
  page-numbers   none on page 1; from page 2 one number a page, 13-14 pt, in the top
                 margin; (--bbox) centred on the text frame
  indent         each body paragraph's first line starts 1 cm (--indent) right of
                 the frame, its other lines at the frame
  spacing        at least 6 pt between one paragraph's last line and the next one's
                 first (baseline distance minus the line pitch)
  orphans        no paragraph leaves only its first line at the foot of a page
  widows         no paragraph carries only its last line to the top of a page
  headings       no line ending in ':' (an item that introduces what follows) and no
                 title line is the last text of a page
  signature      the signature block (titles, notes, names) is on one page, that page
                 also has the closing line, and it is not the first text of the page
  names          the signature names are centred under their titles, on one baseline
  hyphens        no line ends in a hyphen glued to a letter (no hyphenation)
  justified      (--bbox, from `pdftotext -bbox`) every body line but a paragraph's
                 last reaches the right edge of the frame
  units          (--units FILE: one string a line) every occurrence of each string in
                 the body text lies on one line, and at least one occurrence of each
                 touches a line end (so the measure did press a break on it)
"""
import argparse
import html
import re
import sys

MM = 72 / 25.4
GLYPH = re.compile(
    r'^glyphs role=(\S+) at=(\S+) font=(\S+) size=([\d.]+) color=\S+ origin=([\d.-]+),([\d.-]+) '
    r'text="((?:[^"\\]|\\.)*)"')


def unquote(s):
    return s.replace('\\"', '"').replace('\\\\', '\\')


class Line:
    def __init__(self, page, role, at, size, x, y, text):
        self.page, self.role, self.at, self.size = page, role, at, size
        self.x, self.y, self.text = x, y, text


def read_trace(path):
    pages = []  # (w, h)
    lines = []
    page = 0
    with open(path, encoding='utf-8') as f:
        for raw in f:
            raw = raw.rstrip('\n')
            if raw.startswith('page '):
                page += 1
                w, h = raw.split()[2].split('x')
                pages.append((float(w), float(h)))
                continue
            m = GLYPH.match(raw)
            if not m:
                continue
            role, at, font, size, x, y, text = m.groups()
            x, y, size, text = float(x), float(y), float(size), unquote(text)
            last = lines[-1] if lines else None
            # runs of one line: same page, role and baseline
            if (last and last.page == page and last.role == role and abs(last.y - y) < 0.05
                    and not role.startswith("signature.")):
                last.text += text
                last.x = min(last.x, x)
                continue
            lines.append(Line(page, role, at, size, x, y, text))
    return pages, lines


results = []


ONLY = None


def report(name, problems):
    if ONLY and name != ONLY:
        return
    if problems:
        results.append(False)
        for p in problems[:8]:
            print(f'FAIL {name}: {p}')
        if len(problems) > 8:
            print(f'FAIL {name}: ... and {len(problems) - 8} more')
    else:
        results.append(True)
        print(f'ok {name}')


def short(t, n=50):
    return t if len(t) <= n else t[:n] + '…'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('trace')
    ap.add_argument('--bbox')
    ap.add_argument('--units')
    ap.add_argument('--margins', default='20,20,30,15')
    ap.add_argument('--indent', type=float, default=10 * MM)
    ap.add_argument('--body-size', type=float, default=14)
    ap.add_argument('--only', help='run only this check (units)')
    a = ap.parse_args()
    global ONLY
    ONLY = a.only
    top, bottom, left, right = (float(v) * MM for v in a.margins.split(','))
    pages, lines = read_trace(a.trace)
    if not pages:
        print('FAIL trace: no pages')
        return 1
    pw = pages[0][0]
    fx0, fx1 = left, pw - right
    body = [l for l in lines if l.role in ('body', 'closing')]

    # ---- page numbers
    probs = []
    nums = [l for l in lines if l.role == 'page_number']
    for p in range(1, len(pages) + 1):
        here = [l for l in nums if l.page == p]
        if p == 1 and here:
            probs.append('page 1 shows a number')
        if p > 1:
            if len(here) != 1 or here[0].text != str(p):
                probs.append(f'page {p}: numbers {[l.text for l in here]}')
                continue
            n = here[0]
            if not 13 <= n.size <= 14:
                probs.append(f'page {p}: number at {n.size} pt')
            if n.y >= top:
                probs.append(f'page {p}: number baseline {n.y:.1f} pt is not in the top margin')
    report('page-numbers', probs)

    # ---- paragraphs: a body line at frame + indent starts one
    def starts_para(l):
        return abs(l.x - (fx0 + a.indent)) < 0.6

    paras = []  # lists of lines, in order
    for l in body:
        if starts_para(l) or not paras:
            paras.append([l])
        else:
            paras[-1].append(l)
    probs = []
    for pa in paras:
        for l in pa[1:]:
            if abs(l.x - fx0) > 0.6:
                probs.append(f'page {l.page}: line "{short(l.text)}" starts at {l.x:.2f} pt, '
                             f'not at the frame ({fx0:.2f}) or 1 cm in')
    report('indent', probs)

    probs = []
    # the line pitch: the commonest baseline step inside paragraphs
    steps = {}
    for pa in paras:
        for u, v in zip(pa, pa[1:]):
            if u.page == v.page and u.size == a.body_size:
                k = round(v.y - u.y, 2)
                steps[k] = steps.get(k, 0) + 1
    pitch = max(steps, key=steps.get) if steps else a.body_size * 1.15
    for pa, nx in zip(paras, paras[1:]):
        last, first = pa[-1], nx[0]
        if last.page != first.page:
            continue
        gap = first.y - last.y - pitch
        if gap < 6 - 0.05:
            probs.append(f'page {first.page}: {gap:.2f} pt before "{short(first.text)}"')
    report('spacing', probs)

    probs_o, probs_w = [], []
    for pa in paras:
        for i in range(1, len(pa)):
            if pa[i].page != pa[i - 1].page:
                if i == 1:
                    probs_o.append(f'page {pa[0].page}: "{short(pa[0].text)}" alone at the foot')
                if len(pa) - i == 1:
                    probs_w.append(f'page {pa[i].page}: "{short(pa[i].text)}" alone at the top')
    report('orphans', probs_o)
    report('widows', probs_w)

    # ---- the last text of each page
    probs = []
    text_lines = [l for l in lines if l.role != 'page_number']
    for p in range(1, len(pages)):
        here = [l for l in text_lines if l.page == p]
        if not here:
            continue
        last = here[-1]
        if last.role in ('doc_type', 'summary', 'recipients.label') or (
                last.role == 'body' and last.text.rstrip().endswith(':')):
            probs.append(f'page {p} ends with the heading "{short(last.text)}"')
    report('headings', probs)

    # ---- the signature block
    probs = []
    sig = [l for l in lines if l.role.startswith('signature.')]
    closing = [l for l in lines if l.role == 'closing']
    if not sig:
        probs.append('no signature block')
    else:
        sp = {l.page for l in sig}
        if len(sp) != 1:
            probs.append(f'split over pages {sorted(sp)}')
        p = sig[0].page
        if not closing or closing[-1].page != p:
            probs.append(f'page {p}: the closing line is not on the signature page')
        first = [l for l in text_lines if l.page == p][0]
        if first.role.startswith('signature.'):
            probs.append(f'page {p}: the signature block is the first text of the page')
    report('signature', probs)

    probs = []
    titles = [l for l in sig if l.role == 'signature.title']
    names = [l for l in sig if l.role == 'signature.name']
    if len(titles) != 2 or len(names) != 2:
        probs.append(f'{len(titles)} titles and {len(names)} names (expected 2 and 2)')
    else:
        if abs(names[0].y - names[1].y) > 0.05:
            probs.append(f'names on baselines {names[0].y:.2f} and {names[1].y:.2f}')
        if abs(titles[0].y - titles[1].y) > 0.05:
            probs.append(f'titles on baselines {titles[0].y:.2f} and {titles[1].y:.2f}')
        # centred in the same column: a name's centre is its title's (widths from bbox)
    report('names', probs)

    probs = []
    for l in body:
        if re.search(r'\w[-\u00ad\u2010]$', l.text):
            probs.append(f'page {l.page}: "{short(l.text)}" ends in a hyphen')
    report('hyphens', probs)

    # ---- justification and name centring, from pdftotext -bbox
    if a.bbox:
        words = []
        with open(a.bbox, encoding='utf-8') as f:
            page = 0
            for raw in f:
                if '<page ' in raw:
                    page += 1
                m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                              r'yMax="([\d.]+)">(.*)</word>', raw)
                if m:
                    x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
                    words.append((page, x0, y0, x1, y1, html.unescape(m.group(5))))

        def line_right(l):
            ws = [w for w in words if w[0] == l.page and w[2] < l.y < w[4] + 0.5 and
                  w[1] >= l.x - 0.5]
            return max((w[3] for w in ws), default=None)

        def line_extent(l):
            ws = [w for w in words if w[0] == l.page and w[2] < l.y < w[4] + 0.5]
            if not ws:
                return None
            # the words of this text only: those starting at or after its origin
            ws = [w for w in ws if w[1] >= l.x - 0.5]
            n = len(l.text.split())
            ws = sorted(ws, key=lambda w: w[1])[:n]
            return ws[0][1], ws[-1][3]

        probs = []
        for pa in paras:
            for l in pa[:-1]:
                r = line_right(l)
                if r is None or abs(r - fx1) > 0.8:
                    probs.append(f'page {l.page}: "{short(l.text)}" ends at '
                                 f'{r if r is None else round(r, 2)}, frame {fx1:.2f}')
        report('justified', probs)
        probs = []
        if len(titles) == 2 and len(names) == 2:
            for t, n in zip(sorted(titles, key=lambda l: l.x), sorted(names, key=lambda l: l.x)):
                et, en = line_extent(t), line_extent(n)
                if not et or not en:
                    probs.append(f'cannot measure "{t.text}" / "{n.text}"')
                    continue
                ct, cn = (et[0] + et[1]) / 2, (en[0] + en[1]) / 2
                if abs(ct - cn) > 0.8:
                    probs.append(f'"{n.text}" centred at {cn:.2f}, its title "{t.text}" at {ct:.2f}')
        report('names-centred', probs)
        probs = []
        for n in nums:
            e = line_extent(n)
            if not e:
                probs.append(f'page {n.page}: cannot measure the number')
            elif abs((e[0] + e[1]) / 2 - (fx0 + fx1) / 2) > 0.8:
                probs.append(f'page {n.page}: number centred at {(e[0] + e[1]) / 2:.2f}, '
                             f'the frame at {(fx0 + fx1) / 2:.2f}')
        report('page-numbers-centred', probs)

    # ---- units kept whole on one line
    if a.units:
        with open(a.units, encoding='utf-8') as f:
            units = [u.rstrip('\n') for u in f if u.strip() and not u.startswith('#')]
        probs = []
        nb = lambda s: s.replace('\u00a0', ' ')
        texts = [nb(l.text) for l in lines if l.role != 'page_number']
        joined_nl = '\n'.join(texts)
        joined_sp = ' '.join(texts)
        for u in units:
            whole = sum(t.count(u) for t in texts)
            anywhere = joined_sp.count(u)
            if anywhere == 0:
                probs.append(f'"{u}" is not in the text')
            elif whole != anywhere:
                probs.append(f'"{u}": {anywhere - whole} of {anywhere} occurrences split '
                             'over two lines')
            elif not any(t.startswith(u) or t.endswith(u) or t.rstrip(',.;:)”"').endswith(u)
                         for t in texts):
                probs.append(f'"{u}" never touches a line end: the measure does not test it')
        report('units', probs)
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
