#!/usr/bin/env python3
"""tests/geometry-check.py - measures a certificate batch on its trace
(`vanban certificates ... --format trace -o -`) and says what breaks the page
geometry of issue 7 (spec §3.2). Usage:

  geometry-check.py TRACE --fonts DIR --layout FILE [--scale S] [--offset X,Y]
                    [--blank 35,40] [--reason-lines 3] [--no-border]

Checks, every page of the batch:
  * blank: (unless --blank none) the blank between the signer's title (last signer.position line) and
    the signer's name is within --blank millimetres, measured between the line
    boxes (hhea ascender/descender of the fonts in the trace);
  * fixed: every run that is not record text (recipient.*, decision.*) sits at
    the same baseline on every page (within 0.1 mm), and at the same x when its
    text is the same: the header, the title and the signature block;
  * inside: every glyph run and image lies inside the layout's frame (scaled) and
    at least 2 mm inside the innermost rectangle of the border (art);
  * overlap: no two lines overlap (their ink bands, 0.7 em up and 0.2 em down);
  * breaks: no line break inside a document number, a date, a time, a number
    and its unit or "Tổ dân phố số N" (achievement, details, name), nor inside a
    proper name of the record (--names FILE: tests/record-names.py) or the
    page's recipient name, unless the paragraph is that name alone;
  * measure (with --measure MM): achievement and details lines at most MM wide;
  * balanced: (unless --balance 0) the achievement and details of two lines or
    more have their shortest line at least --balance (0.5) of their longest
    (centred text is broken into balanced lines, not a full line and a short one);
  * dash: no line starts with a dash or closing punctuation;
  * uniform: the achievement (recipient.reason) has one size across the batch,
    except where a record's achievement fills all its --reason-lines lines (it
    shrank because wrapping was not enough).
Prints one line per failure and a summary; exit 1 on any failure.
"""
import argparse
import os
import re
import sys

import tracelib
from tracelib import Font

MM = 72 / 25.4
# what a line may not break inside (issue 7 item 5)
FORBIDDEN = [
    r"\b(?:số )?\d+[-/][\w/.-]*[A-ZĐ][\w/.-]*",          # 45/QĐ-UBND, 04-KH/ĐU, 98/2023/QH15
    r"\bngày \d{1,2} tháng \d{1,2} năm \d{4}",           # a date in words
    r"\b\d{1,2}/\d{1,2}/\d{4}\b",                       # 05/11/2024
    r"\b\d+ giờ(?: \d+)?",                               # 14 giờ 30
    r"\b\d+(?:[.,]\d+)? ?(?:%|km|m2|m²|ha|tấn|triệu|tỷ|đồng|người|hộ|năm|cây|bản|công trình)(?!\w)",
    r"\bTổ dân phố số \d+",
]


def parse(trace):
    """Pages of runs, art rectangles and images (role, x0, y0, x1, y1)."""
    def rect(cur, kv, line):
        if kv.get("role") == "art":
            cur["rects"].append(tracelib.box(kv))

    def image(cur, kv, line):
        cur["images"].append((kv.get("role", "?"),) + tracelib.box(kv))

    return tracelib.parse(trace, {"rect": rect, "image": image}, ("rects", "images"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("--fonts", required=True)
    ap.add_argument("--layout", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--offset", default="0,0")
    ap.add_argument("--blank", default="35,40")
    ap.add_argument("--reason-lines", type=int, default=3)
    ap.add_argument("--no-border", action="store_true")
    ap.add_argument("--label", default="")
    ap.add_argument("--names", help="file of the record's proper names, one a line "
                    "(organization, place, superior body, recipients and units): no line "
                    "break inside one of them; the page's recipient name is added")
    ap.add_argument("--measure", type=float, default=0,
                    help="widest line (mm, unscaled) of the achievement and details")
    ap.add_argument("--balance", type=float, default=0.5,
                    help="shortest / longest line of a centred paragraph, at least (0: off)")
    a = ap.parse_args()
    check_blank = a.blank != "none"
    lo, hi = map(float, a.blank.split(",")) if check_blank else (0, 0)
    ox, oy = (float(v) * MM for v in a.offset.split(","))
    fonts = {}

    def font(name):
        if name not in fonts:
            fonts[name] = Font(os.path.join(a.fonts, name))
        return fonts[name]

    with open(a.trace, encoding="utf-8") as f:
        pages = parse(f)
    fails = []

    def fail(msg):
        fails.append(f"{a.label}: {msg}" if a.label else msg)

    if not pages:
        fail("no pages in the trace")
    border = None
    for p in pages:
        if p["rects"]:
            border = min(p["rects"], key=lambda r: (r[2] - r[0]) * (r[3] - r[1]))
    if not a.no_border and border is None:
        fail("no border rectangle (role=art) in the trace")
    m = re.search(r"^frame:\s*\{([^}]*)\}", open(a.layout, encoding="utf-8").read(), re.M)
    frame = None
    if m:
        d = dict(re.findall(r"(\w+):\s*([0-9.]+)", m.group(1)))
        fx, fy = float(d["x"]) * MM * a.scale + ox, float(d["y"]) * MM * a.scale + oy
        frame = (fx, fy, fx + float(d["w"]) * MM * a.scale, fy + float(d["h"]) * MM * a.scale)

    def extent(r):
        f = font(r["font"])
        s = r["size"]
        w = r["glyphs"][-1][1] + f.advance(r["glyphs"][-1][0]) * s if r["glyphs"] else 0
        return (r["x"], r["y"] - f.asc / f.upem * s, r["x"] + w, r["y"] - f.desc / f.upem * s)

    def name_pattern(nm):
        return re.compile(r"\s+".join(re.escape(w) for w in nm.split()), re.I)

    names = []
    if a.names:
        with open(a.names, encoding="utf-8") as f:
            names = [name_pattern(ln) for ln in f if " " in ln.strip()]
    honorifics = ("Đồng chí ", "Ông ", "Bà ", "Ông/Bà ", "Anh ", "Chị ")

    fixed = {}
    reasons = []  # (page, size, lines)
    blanks = []
    for n, p in enumerate(pages, 1):
        runs = p["runs"]
        # blank for signature and seal
        pos = [r for r in runs if r["role"] == "signer.position"]
        name = [r for r in runs if r["role"] == "signer.name"]
        if not pos or not name:
            fail(f"page {n}: no signer position or name")
        else:
            b = (extent(name[0])[1] - extent(pos[-1])[3]) / MM
            blanks.append(b)
            if check_blank and not lo - 0.005 <= b <= hi + 0.005:
                fail(f"page {n}: blank between '{pos[-1]['text']}' and '{name[0]['text']}' "
                     f"is {b:.1f} mm, not {lo:g}-{hi:g} mm")
        # fixed lines
        seen = {}
        for r in runs:
            if r["role"].startswith(("recipient.", "decision.")):
                continue
            k = (r["role"], r["at"])
            i = seen.get(k, 0)
            seen[k] = i + 1
            fixed.setdefault((k, i), []).append((n, r))
        # inside the frame and the border; no dash first
        boxes = [(f"'{r['text']}'", extent(r)) for r in runs]
        boxes += [(f"image {im[0]}", im[1:]) for im in p["images"]]
        for what, (x0, y0, x1, y1) in boxes:
            if frame and (x0 < frame[0] - 0.5 or x1 > frame[2] + 0.5 or y0 < frame[1] - 0.5
                          or y1 > frame[3] + 0.5):
                fail(f"page {n}: {what} crosses the frame "
                     f"({x0 / MM:.1f},{y0 / MM:.1f})-({x1 / MM:.1f},{y1 / MM:.1f}) mm")
            if border and (x0 < border[0] + 2 * MM or x1 > border[2] - 2 * MM
                           or y0 < border[1] + 2 * MM or y1 > border[3] - 2 * MM):
                fail(f"page {n}: {what} comes within 2 mm of the border or crosses it")
        # no two lines overlap (ink band: 0.7 em above the baseline, 0.2 below)
        ink = [(r, r["x"], r["y"] - 0.7 * r["size"], extent(r)[2], r["y"] + 0.2 * r["size"])
               for r in runs]
        for i, (r, x0, y0, x1, y1) in enumerate(ink):
            for s_, u0, v0, u1, v1 in ink[i + 1:]:
                if x0 < u1 and u0 < x1 and y0 < v1 and v0 < y1:
                    fail(f"page {n}: '{r['text']}' overlaps '{s_['text']}'")
        for r in runs:
            t = r["text"].lstrip()
            if t[:1] in "-–—,.;:!?)]}”’»…":
                fail(f"page {n}: a line starts with '{t[:1]}': '{r['text']}'")
        # the measure: running text keeps within a comfortable width
        if a.measure:
            for r in runs:
                if r["role"] in ("recipient.reason", "recipient.details"):
                    x0, _, x1, _ = extent(r)
                    if x1 - x0 > a.measure * MM * a.scale + 0.5:
                        fail(f"page {n}: '{r['text']}' is {(x1 - x0) / MM:.1f} mm wide, over the "
                             f"measure {a.measure * a.scale:.1f} mm")
        # balanced lines: no full line followed by a short one
        if a.balance:
            for role in ("recipient.reason", "recipient.details"):
                ws = [(extent(r)[2] - extent(r)[0], r["text"]) for r in runs if r["role"] == role]
                if len(ws) >= 2 and min(ws)[0] < a.balance * max(ws)[0]:
                    fail(f"page {n}: unbalanced lines ({role}): '{min(ws)[1]}' is "
                         f"{min(ws)[0] / MM:.1f} mm, the longest {max(ws)[0] / MM:.1f} mm")
        # the record's proper names and this page's recipient stay on one line
        page_names = list(names)
        for r in runs:
            if r["role"] == "recipient.name":
                t = r["text"].strip()
                for h in honorifics:
                    if t.startswith(h):
                        t = t[len(h):]
                if " " in t:
                    page_names.append(name_pattern(t))
        # no forbidden break: a document number, a date, a time, a number and its
        # unit, "Tổ dân phố số N" must not straddle two lines of one paragraph
        for role in ("recipient.reason", "recipient.details", "recipient.name"):
            ls = [r["text"].strip() for r in runs if r["role"] == role]
            if len(ls) < 2:
                continue
            joined, ends = "", []
            for t in ls:
                # a line ending in '-' or '/' continues the word on the next line
                joined = (joined + ("" if joined[-1:] in "-/" else " ") + t) if joined else t
                ends.append(len(joined))
            for pat in FORBIDDEN:
                for mt in re.finditer(pat, joined):
                    if any(mt.start() < e < mt.end() - 0 for e in ends[:-1]):
                        fail(f"page {n}: a line break inside '{mt.group(0)}' ({role})")
            for pat in page_names:
                for mt in pat.finditer(joined):
                    if mt.start() == 0 and mt.end() == len(joined):
                        continue  # the paragraph is the name, longer than a line
                    if any(mt.start() < e < mt.end() for e in ends[:-1]):
                        fail(f"page {n}: a line break inside the name '{mt.group(0)}' ({role})")
        rs = [r for r in runs if r["role"] == "recipient.reason"]
        if rs:
            reasons.append((n, rs[0]["size"], len(rs)))
    for (k, i), occ in fixed.items():
        if len(occ) != len(pages):
            continue  # a line some pages have (a conditional block): not a fixed line
        y0 = occ[0][1]["y"]
        for n, r in occ:
            if abs(r["y"] - y0) > 0.1 * MM:
                fail(f"page {n}: fixed line '{r['text']}' ({k[0]}) at y {r['y'] / MM:.2f} mm, "
                     f"page {occ[0][0]} has it at {y0 / MM:.2f} mm")
            if r["text"] == occ[0][1]["text"] and abs(r["x"] - occ[0][1]["x"]) > 0.1 * MM:
                fail(f"page {n}: fixed line '{r['text']}' moved sideways")
    if reasons:
        top = max(s for _, s, _ in reasons)
        for n, s, lines in reasons:
            if s < top - 0.01 and lines < a.reason_lines:
                fail(f"page {n}: achievement at {s:.1f} pt on {lines} line(s) while others are "
                     f"at {top:.1f} pt: it should wrap to {a.reason_lines} lines before shrinking")
    for f_ in fails:
        print("FAIL " + f_)
    nfixed = sum(1 for occ in fixed.values() if len(occ) == len(pages))
    rng = f"{min(blanks):.1f}-{max(blanks):.1f} mm" if blanks else "-"
    print(f"{a.label or a.trace}: {len(pages)} pages, blank {rng}, {nfixed} fixed lines, "
          f"{len(fails)} failure(s)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
