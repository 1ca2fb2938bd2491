"""tests/tracelib.py - what the trace checkers share (tests/geometry-check.py,
tests/bulletin-check.py): the font metrics they measure runs with, read from the
sfnt tables of the bundled fonts, and the parser of `--format trace` output.

parse(lines, kinds, lists) returns one dict per page: "w" and "h" (points, from the
"page N WxH" line), "runs" (every glyphs line: role, at, font file, size, origin x
and y, text and the (glyph id, x offset) pairs) and an empty list for each name in
`lists`; every other line whose first word is a key of `kinds` is handed to that
function as kinds[word](page, kv, line), kv being the line's key=value pairs (quoted
values keep their quotes). A checker adds the record kinds it reads (images, rects,
links, outline entries) that way.
"""
import re
import struct

KV = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')


class Font:
    """Units per em, hhea ascender and descender, advance widths by glyph id."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        n = struct.unpack(">H", data[4:6])[0]
        tables = {}
        for i in range(n):
            tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
            tables[tag.decode("latin-1")] = (off, ln)
        o = tables["head"][0]
        self.upem = struct.unpack(">H", data[o + 18:o + 20])[0]
        o = tables["hhea"][0]
        self.asc, self.desc = struct.unpack(">hh", data[o + 4:o + 8])
        nmetrics = struct.unpack(">H", data[o + 34:o + 36])[0]
        o = tables["hmtx"][0]
        self.adv = [struct.unpack(">H", data[o + 4 * i:o + 4 * i + 2])[0] for i in range(nmetrics)]

    def advance(self, gid):
        """Advance of glyph gid in em (the last metric for the glyphs past it)."""
        return self.adv[min(gid, len(self.adv) - 1)] / self.upem


def box(kv):
    """(x0, y0, x1, y1) of a line's xy=X,Y and wh=WxH."""
    x, y = map(float, kv["xy"].split(","))
    w, h = map(float, kv["wh"].split("x"))
    return (x, y, x + w, y + h)


def run(kv):
    ox, oy = map(float, kv["origin"].split(","))
    glyphs = []
    for g in kv.get("glyphs", "").split(","):
        if "@" in g:
            gid, off = g.split("@")
            glyphs.append((int(gid), float(off)))
    return {"role": kv["role"], "at": kv["at"], "font": kv["font"].split("#")[0],
            "size": float(kv["size"]), "x": ox, "y": oy, "text": kv["text"][1:-1],
            "glyphs": glyphs}


def parse(lines, kinds=None, lists=()):
    kinds = kinds or {}
    pages, cur = [], None
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("page "):
            parts = line.split()
            w = h = 0.0
            if len(parts) > 2 and "x" in parts[2]:
                w, h = map(float, parts[2].split("x"))
            cur = {"w": w, "h": h, "runs": []}
            for name in lists:
                cur[name] = []
            pages.append(cur)
            continue
        if cur is None or line.startswith("end page"):
            continue
        word = line.split(" ", 1)[0]
        if word == "glyphs":
            cur["runs"].append(run(dict(KV.findall(line))))
        elif word in kinds:
            kinds[word](cur, dict(KV.findall(line)), line)
    return pages
