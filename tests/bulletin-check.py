#!/usr/bin/env python3
"""tests/bulletin-check.py - conformance of a bulletin issue (issue 9) measured on its
trace (`vanban bulletin ... --format trace`), and, with --pdf, read back from the PDF.
Usage:

  bulletin-check.py TRACE --fonts DIR --layout FILE [--pdf FILE --records FILE...
                    --month YYYY-MM] [--only CHECK,...]

Trace checks (one "FAIL check: ..." line per failure, "ok check" per check passed):
  * page-size: every page is the layout's size and at most 19 x 27 cm;
  * masthead: page 1 has "BẢN TIN", the bulletin's name and "Số N - Tháng MM/YYYY";
  * licence: the licence block (role licence, "Giấy phép xuất bản số") is on the last
    page, at its foot, and nowhere else;
  * contents: every headline has a contents link and a contents page number; the link
    goes to the headline's page and y, and the number printed is that page;
  * headline-last: a headline is never the last thing in a column: text of the article
    (lead or body) follows it on the same page, under it;
  * caption: every photo that has a caption (--captions: all of them) has it right under it
    (first baseline within 1 em + 3 mm of the photo's foot) in the photo's width, same page;
    every caption sits under a photo;
  * columns: every run of the article flow (lead, body, list, byline, caption, jump) lies
    inside one column; headlines and wide photos inside the frame; nothing outside it;
  * balance: columns end level where an article ends: on every page, each band of
    columns (between headlines, photos across the columns and the licence block) that
    has no "(xem tiếp trang N)" line, i.e. where the article ends or a photo across
    the columns follows, has all its columns (an empty one ends at the band's top; the
    last ones may stay empty when the text cannot give one more column two lines)
    ending within one line (1.2 em of its text + 4 pt, a byline's space) of each other;
  * widows: a paragraph (lead, body, list item) that goes on in the next column or on the
    next page leaves two lines at least on each side (no orphan at a column's foot, no
    widow at the next one's head); pieces are told apart by their record span, their
    role, the first-line indent of body text and the line pitch;
  * overlap: no two text runs (ink bands 0.7 em up, 0.2 em down, advance widths from the
    fonts) and no two images intersect, and no text crosses an image.
PDF checks (--pdf, with pikepdf):
  * outline: one entry per article of the month, in date-then-time order (from the
    records), each title exactly the article's headline (article.headline, else title),
    each pointing at its article's page;
  * links: every link of page 1 goes to the page of the article its contents entry names;
  * jpeg: every JPEG photo is embedded byte for byte (/DCTDecode stream equal to a file).
Exit 1 on any failure.
"""
import argparse
import datetime
import os
import re
import sys
import unicodedata

import tracelib
from tracelib import Font

MM = 72 / 25.4
FLOW = ("lead", "body", "list", "byline", "caption", "jump")


def parse(lines):
    """Pages (w, h) of runs, images ({at, file, box}), links ({at, page, y}) and
    outline entries ({at, y, title})."""
    def image(cur, kv, line):
        cur["images"].append({"at": kv["at"], "file": kv.get("image", "?"), "box": tracelib.box(kv)})

    def link(cur, kv, line):
        cur["links"].append({"at": kv["at"], "page": int(kv["page"]), "y": float(kv["y"])})

    def outline(cur, kv, line):
        cur["outline"].append({"at": kv["at"], "y": float(kv["y"]), "title": kv["title"][1:-1]})

    return tracelib.parse(lines, {"image": image, "link": link, "outline": outline},
                          ("images", "links", "outline"))


def load_yaml(path):
    import yaml
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def layout_geometry(path):
    y = load_yaml(path)
    pw, ph = (float(v) for v in y["page"]["size"])
    m = y["page"]["margins"]
    b = y.get("bulletin", {})

    def length(v, default):
        if v is None:
            return default
        s = str(v)
        if s.endswith("mm"):
            return float(s[:-2]) * MM
        if s.endswith("pt"):
            return float(s[:-2])
        return float(s) * MM

    x0 = float(m["left"]) * MM
    fw = (pw - float(m["left"]) - float(m["right"])) * MM
    cols = int(b.get("columns", 2))
    gutter = length(b.get("gutter"), 6 * MM)
    cw = (fw - (cols - 1) * gutter) / cols
    return {"pw": pw * MM, "ph": ph * MM, "x0": x0, "fw": fw,
            "top": float(m["top"]) * MM, "bottom": (ph - float(m["bottom"])) * MM,
            "cols": [(x0 + k * (cw + gutter), x0 + k * (cw + gutter) + cw) for k in range(cols)]}


def starts_key(s):
    s = str(s)
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?", s)
    d = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    t = int(m.group(4)) * 60 + int(m.group(5)) if m.group(4) else -1
    return (d, t)


def month_articles(records, month):
    """Headlines of the month's events, in date-then-time order (file order on ties)."""
    evs = []
    for path in records:
        y = load_yaml(path)
        for e in (y or {}).get("events", []) or []:
            st = e.get("starts")
            if st is None or not str(st).startswith(month):
                continue
            art = e.get("article") or {}
            title = art.get("headline") or e.get("title")
            evs.append((starts_key(st), len(evs), unicodedata.normalize("NFC", str(title))))
    return [t for _, _, t in sorted(evs)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("--fonts", required=True)
    ap.add_argument("--layout", required=True)
    ap.add_argument("--pdf")
    ap.add_argument("--records", nargs="*", default=[])
    ap.add_argument("--month")
    ap.add_argument("--photos", nargs="*", default=[], help="JPEG files that may be embedded")
    ap.add_argument("--captions", action="store_true", help="every photo has a caption")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    only = set(filter(None, a.only.split(",")))
    fonts = {}

    def font(name):
        if name not in fonts:
            fonts[name] = Font(os.path.join(a.fonts, name))
        return fonts[name]

    def extent(r):
        f, s = font(r["font"]), r["size"]
        w = r["glyphs"][-1][1] + f.advance(r["glyphs"][-1][0]) * s if r["glyphs"] else 0
        return (r["x"], r["y"] - 0.7 * s, r["x"] + w, r["y"] + 0.2 * s)

    with open(a.trace, encoding="utf-8") as f:
        pages = parse(f)
    geo = layout_geometry(a.layout)
    fails = {}
    ran = []

    def check(name):
        if only and name not in only:
            return False
        ran.append(name)
        fails.setdefault(name, [])
        return True

    def fail(name, msg):
        fails[name].append(msg)

    if not pages:
        print("FAIL trace: no pages")
        return 1
    if check("page-size"):
        for n, p in enumerate(pages, 1):
            if abs(p["w"] - geo["pw"]) > 0.1 or abs(p["h"] - geo["ph"]) > 0.1:
                fail("page-size", f"page {n}: {p['w']}x{p['h']} pt, the layout says "
                     f"{geo['pw']:.2f}x{geo['ph']:.2f}")
            if p["w"] > 190 * MM + 0.1 or p["h"] > 270 * MM + 0.1:
                fail("page-size", f"page {n}: {p['w'] / MM:.1f} x {p['h'] / MM:.1f} mm is over 19 x 27 cm")
        if len(pages) > 64:
            fail("page-size", f"{len(pages)} pages, more than 64")
    if check("masthead"):
        texts = [r["text"] for r in pages[0]["runs"]]
        roles = {r["role"] for r in pages[0]["runs"]}
        if "BẢN TIN" not in texts:
            fail("masthead", "page 1 has no 'BẢN TIN'")
        if "org.bulletin.name" not in roles:
            fail("masthead", "page 1 has no bulletin name")
        if not any(re.fullmatch(r"Số \d+ - Tháng \d\d/\d{4}", t) for t in texts):
            fail("masthead", "page 1 has no 'Số N - Tháng MM/YYYY'")
        for n, p in enumerate(pages[1:], 2):
            if any(r["text"] == "BẢN TIN" for r in p["runs"]):
                fail("masthead", f"page {n} repeats the masthead")
    if check("licence"):
        for n, p in enumerate(pages, 1):
            lic = [r for r in p["runs"] if r["role"] == "licence"]
            if n < len(pages) and lic:
                fail("licence", f"page {n} (not the last) has the licence block")
            if n == len(pages):
                if not lic or not lic[0]["text"].startswith("Giấy phép xuất bản số"):
                    fail("licence", f"the last page ({n}) has no licence block")
                else:
                    below = [r for r in p["runs"] if r["y"] > lic[0]["y"]
                             and r["role"] not in ("licence", "footer", "footer.page")]
                    if below:
                        fail("licence", f"'{below[0]['text']}' is under the licence block")
    heads = {}  # at -> (page, y of first line)
    for n, p in enumerate(pages, 1):
        for r in p["runs"]:
            if r["role"] == "headline" and r["at"] not in heads:
                heads[r["at"]] = (n, r["y"] - 0.8 * r["size"])
    if check("contents"):
        links = {l["at"]: l for l in pages[0]["links"]}
        nums = {r["at"]: r["text"] for r in pages[0]["runs"] if r["role"] == "contents.page"}
        entries = {r["at"] for r in pages[0]["runs"] if r["role"] == "contents.entry"}
        if not heads:
            fail("contents", "no headline in the issue")
        for at, (pg, y) in heads.items():
            if at not in entries:
                fail("contents", f"headline at {at} has no contents entry")
            if at not in links:
                fail("contents", f"headline at {at} has no contents link")
            elif links[at]["page"] != pg or abs(links[at]["y"] - y) > 20:
                fail("contents", f"the link for {at} goes to page {links[at]['page']} y "
                     f"{links[at]['y']:.0f}, the headline is on page {pg} y {y:.0f}")
            if nums.get(at) != str(pg):
                fail("contents", f"the contents give page {nums.get(at)} for {at}, "
                     f"the headline is on page {pg}")
        for at in links:
            if at not in heads:
                fail("contents", f"a contents link names {at}, which has no headline")
    if check("headline-last"):
        for n, p in enumerate(pages, 1):
            hs = [r for r in p["runs"] if r["role"] == "headline"]
            for at in {r["at"] for r in hs}:
                last = max((r for r in hs if r["at"] == at), key=lambda r: r["y"])
                after = [r for r in p["runs"] if r["role"] in ("lead", "body", "list")
                         and r["y"] > last["y"] and r["y"] - last["y"] < 80]
                if not after:
                    fail("headline-last", f"page {n}: the headline '{last['text']}' has no "
                         "text of its article under it on the page")
    if check("caption"):
        for n, p in enumerate(pages, 1):
            caps = [r for r in p["runs"] if r["role"] == "caption"]
            used = set()
            for im in p["images"]:
                x0, _, x1, y1 = im["box"]
                under = [r for r in caps if r["x"] >= x0 - 30 and extent(r)[2] <= x1 + 30
                         and 0 < r["y"] - y1 <= r["size"] + 3 * MM]
                if under:
                    first = min(under, key=lambda r: r["y"])
                    used.add(id(first))
                    # the rest of the caption follows line by line
                    y = first["y"]
                    for r in sorted(caps, key=lambda r: r["y"]):
                        if r["y"] > y and r["y"] - y < 1.6 * r["size"] and r["x"] >= x0 - 30 \
                                and extent(r)[2] <= x1 + 30:
                            used.add(id(r))
                            y = r["y"]
                elif a.captions:
                    fail("caption", f"page {n}: photo {im['file']} has no caption right under it")
            for r in caps:
                if id(r) not in used:
                    fail("caption", f"page {n}: caption line '{r['text']}' is not under a photo")
    if check("columns"):
        cols = geo["cols"]
        fx0, fx1 = geo["x0"] - 0.5, geo["x0"] + geo["fw"] + 0.5
        for n, p in enumerate(pages, 1):
            for r in p["runs"]:
                x0, y0, x1, y1 = extent(r)
                if x0 < fx0 or x1 > fx1 or y0 < geo["top"] - 1 or y1 > geo["bottom"] + 1:
                    fail("columns", f"page {n}: '{r['text']}' ({r['role']}) is outside the frame")
                if r["role"] in FLOW and not any(x0 >= c0 - 0.5 and x1 <= c1 + 0.5
                                                 for c0, c1 in cols):
                    if r["role"] == "jump" and x1 - x0 > cols[0][1] - cols[0][0]:
                        continue  # a jump line across the page
                    if r["role"] == "caption" and any(
                            im["box"][2] - im["box"][0] > cols[0][1] - cols[0][0] + 1
                            and x0 >= im["box"][0] - 0.5 and x1 <= im["box"][2] + 0.5
                            for im in p["images"]):
                        continue  # under a photo across the columns
                    fail("columns", f"page {n}: '{r['text']}' ({r['role']}, x {x0:.1f}-{x1:.1f}) "
                         "is not inside a column")
            for im in p["images"]:
                x0, y0, x1, y1 = im["box"]
                if x0 < fx0 or x1 > fx1 or y0 < geo["top"] - 1 or y1 > geo["bottom"] + 1:
                    fail("columns", f"page {n}: photo {im['file']} is outside the frame")
    if check("balance"):
        cols = geo["cols"]
        cw = cols[0][1] - cols[0][0]

        def col_of(x0, x1):
            for k, (c0, c1) in enumerate(cols):
                if x0 >= c0 - 1 and x1 <= c1 + 1:
                    return k
            return None

        for n, p in enumerate(pages, 1):
            items = []  # (top, bottom, column or None, role, what, size)
            for r in p["runs"]:
                if r["role"] not in FLOW and r["role"] not in ("headline", "licence"):
                    continue
                x0, y0, x1, y1 = extent(r)
                k = col_of(x0, x1) if r["role"] in FLOW else None
                if r["role"] == "caption" and k is None:
                    continue  # under a photo across the columns
                items.append((y0, y1, k, r["role"], r["text"], r["size"]))
            for im in p["images"]:
                x0, y0, x1, y1 = im["box"]
                k = col_of(x0, x1) if x1 - x0 <= cw + 1 else None
                items.append((y0, y1, k, "photo", im["file"], 0))
            items.sort(key=lambda t: t[0])
            band = []

            def settle(band, before):
                if not band or any(t[3] == "jump" and t[4].startswith("(xem tiếp") for t in band):
                    return
                top = min(t[0] for t in band)
                ends = [max([t[1] for t in band if t[2] == k], default=top)
                        for k in range(len(cols))]
                # columns left empty at the end: allowed when the text could not give
                # one more column two lines (5 lines in 3 columns: 3 + 2 + 0)
                used = max(k for k in range(len(cols)) if ends[k] > top)
                nlines = sum(1 for t in band if t[3] in ("lead", "body", "list"))
                if used < len(cols) - 1 and nlines < 2 * (used + 2):
                    ends = ends[:used + 1]
                line = 1.2 * max([t[5] for t in band if t[3] in ("lead", "body", "list")] or [10]) + 4
                if max(ends) - min(ends) > line:
                    last = max(band, key=lambda t: t[1])
                    fail("balance", f"page {n}: the columns above {before} end "
                         f"{max(ends) - min(ends):.1f} pt apart (allowed {line:.1f}): "
                         + ", ".join(f"column {k + 1} at {e:.1f}" for k, e in enumerate(ends))
                         + f"; the lowest is {last[3]} '{last[4][:40]}'")

            for t in items:
                if t[2] is None and t[3] != "jump":
                    settle(band, f"{t[3]} '{t[4][:40]}'")
                    band = []
                else:
                    band.append(t)
            settle(band, "the page's foot")
    if check("widows"):
        cols = geo["cols"]
        pieces = []  # in reading order: (page, band, column, lines, starts a paragraph, key)
        for n, p in enumerate(pages, 1):
            # bands start at each headline or element across the columns
            seps = sorted([r["y"] for r in p["runs"] if r["role"] == "headline"] +
                          [im["box"][1] for im in p["images"]
                           if im["box"][2] - im["box"][0] > cols[0][1] - cols[0][0] + 1])
            lines = []
            for r in p["runs"]:
                if r["role"] not in ("lead", "body", "list"):
                    continue
                x0, _, x1, _ = extent(r)
                k = next((k for k, (c0, c1) in enumerate(cols)
                          if x0 >= c0 - 1 and x1 <= c1 + 1), None)
                if k is None:
                    continue
                band = sum(1 for y in seps if y < r["y"])
                lines.append((band, k, r["y"], r, x0 - cols[k][0]))
            lines.sort(key=lambda t: (t[0], t[1], t[2]))
            prev = None
            for band, k, y, r, ind in lines:
                key = (r["role"], r["at"])
                start = (r["role"] == "body" and ind > 1) or \
                    (r["role"] == "list" and r["text"].startswith("–"))
                same = prev is not None and prev[0] == band and prev[1] == k and \
                    prev[3] == key and not start and y - prev[2] <= 1.3 * r["size"]
                if same:
                    pieces[-1][3] += 1
                else:
                    pieces.append([n, band, k, 1, start, key, r["text"]])
                prev = (band, k, y, key)
        for a_, b_ in zip(pieces, pieces[1:]):
            # b_ goes on with a_'s paragraph in the next column or page
            if b_[4] or b_[5] != a_[5] or (b_[0], b_[1], b_[2]) == (a_[0], a_[1], a_[2]):
                continue
            if b_[0] == a_[0] and b_[1] != a_[1]:
                continue  # another band: another article
            if a_[3] < 2 or b_[3] < 2:
                fail("widows", f"page {a_[0]} column {a_[2] + 1} to page {b_[0]} column "
                     f"{b_[2] + 1}: a paragraph split {a_[3]} + {b_[3]} lines ('{b_[6][:40]}')")
    if check("overlap"):
        for n, p in enumerate(pages, 1):
            boxes = [(f"'{r['text']}'", extent(r)) for r in p["runs"]]
            boxes += [(f"photo {im['file']}", im["box"]) for im in p["images"]]
            boxes.sort(key=lambda b: b[1][1])
            for i, (wa, ba) in enumerate(boxes):
                for wb, bb in boxes[i + 1:]:
                    if bb[1] >= ba[3]:
                        break
                    if ba[0] < bb[2] - 0.3 and bb[0] < ba[2] - 0.3 and ba[1] < bb[3] and bb[1] < ba[3]:
                        fail("overlap", f"page {n}: {wa} and {wb} overlap")
    if a.pdf:
        import pikepdf
        pdf = pikepdf.open(a.pdf)
        pnum = {pg.objgen: i + 1 for i, pg in enumerate(pdf.pages)}

        named = {}
        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            arr = pdf.Root.Names.Dests.get("/Names", [])
            named = {str(arr[i]): arr[i + 1] for i in range(0, len(arr) - 1, 2)}
        if "/Dests" in pdf.Root:
            named.update({k[1:]: v for k, v in pdf.Root.Dests.items()})

        def dest_page(d):
            if isinstance(d, pikepdf.Dictionary) and "/D" in d:
                d = d.D
            if isinstance(d, (pikepdf.String, pikepdf.Name)):
                d = named.get(str(d).lstrip("/"))
            if isinstance(d, pikepdf.Array) and len(d):
                return pnum.get(d[0].objgen)
            return None

        want = month_articles(a.records, a.month) if a.records else None
        if check("outline"):
            got = []
            with pdf.open_outline() as ol:
                for it in ol.root:
                    got.append((str(it.title), dest_page(it.destination if it.destination is not None
                                                         else it.action)))
                    if it.children:
                        fail("outline", f"'{it.title}' has sub-entries")
            if want is not None and [t for t, _ in got] != want:
                fail("outline", f"outline {[t for t, _ in got]} != articles {want}")
            tpage = {}
            for n, p in enumerate(pages, 1):
                for o in p["outline"]:
                    tpage[o["title"]] = n
            for t, pg in got:
                if tpage.get(t) != pg:
                    fail("outline", f"'{t}' goes to page {pg}, the article is on page {tpage.get(t)}")
        if check("links"):
            annots = pdf.pages[0].get("/Annots", [])
            targets = []
            for an in annots:
                if an.get("/Subtype") != "/Link":
                    continue
                d = an.get("/Dest")
                if d is None and "/A" in an:
                    d = an.A.get("/D")
                targets.append(dest_page(d))
            expect = [l["page"] for l in pages[0]["links"]]
            if sorted(targets, key=str) != sorted(expect, key=str) or len(targets) != len(heads):
                fail("links", f"link targets {targets}, the contents' articles are on {expect}")
        if check("jpeg"):
            files = {}
            for ph in a.photos:
                with open(ph, "rb") as f:
                    files[f.read()] = ph
            seen = 0
            for obj in pdf.objects:
                flt = obj.get("/Filter") if isinstance(obj, pikepdf.Stream) else None
                if isinstance(flt, pikepdf.Array) and len(flt) == 1:  # haru: [/DCTDecode]
                    flt = flt[0]
                if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" \
                        and flt == "/DCTDecode":
                    seen += 1
                    if obj.read_raw_bytes() not in files:
                        fail("jpeg", f"JPEG image {obj.objgen} is not byte for byte a photo's file")
            if not seen:
                fail("jpeg", "no JPEG image in the PDF")
    status = 0
    for name in ran:
        if fails[name]:
            status = 1
            for m in fails[name][:10]:
                print(f"FAIL {name}: {m}")
        else:
            print(f"ok {name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
