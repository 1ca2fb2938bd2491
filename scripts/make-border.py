#!/usr/bin/env python3
"""make-border.py - prints the named ornament layouts/art/wave-border.yaml: the
decorative border (gold and red frames, wave ribbons, corner ornaments) that the
certificate layouts draw with `art: [{use: wave-border}]`, for a page of W x H
millimetres. Regenerate with
    python3 scripts/make-border.py 297 210 "#b8860b" "#c00000" > layouts/art/wave-border.yaml"""
import math
import sys

W, H = float(sys.argv[1]), float(sys.argv[2])
GOLD = sys.argv[3] if len(sys.argv) > 3 else "#b8860b"
RED = sys.argv[4] if len(sys.argv) > 4 else "#c00000"
O, I = 7.0, 11.0  # outer and inner frame insets, mm
MID = (O + I) / 2


def wave(x0, y0, x1, y1, period=6.0, amp=0.9, width=0.21):
    """A wavy line as a filled ribbon `width` mm thick (the wave offset by
    +-width/2 across its base line): a fill, not a stroke, because cairo works
    a stroke's outline out again on every page that shows the border."""
    L = math.hypot(x1 - x0, y1 - y0)
    n = max(1, round(L / period))
    p = L / n
    ux, uy = (x1 - x0) / L, (y1 - y0) / L
    nx, ny = -uy, ux

    def pt(s, o):
        return (x0 + ux * s + nx * o, y0 + uy * s + ny * o)

    segs = []  # (c1s, c1o, c2s, c2o, ends) along the base line
    for i in range(n):
        for k, sgn in ((0, 1), (1, -1)):
            s0 = i * p + k * p / 2
            s1 = s0 + p / 2
            a = amp * sgn * 1.33
            segs.append((s0, s0 + p / 6, a, s1 - p / 6, a, s1))
    h = width / 2
    out = ["M %.2f %.2f" % pt(0, h)]
    for (s0, c1, a1, c2, a2, s1) in segs:
        out.append("C %.2f %.2f %.2f %.2f %.2f %.2f" % (pt(c1, a1 + h) + pt(c2, a2 + h) + pt(s1, h)))
    out.append("L %.2f %.2f" % pt(L, -h))
    for (s0, c1, a1, c2, a2, s1) in reversed(segs):
        out.append("C %.2f %.2f %.2f %.2f %.2f %.2f" % (pt(c2, a2 - h) + pt(c1, a1 - h) + pt(s0, -h)))
    out.append("Z")
    return " ".join(out)


arcs = "M 0 16 C 0 7 7 0 16 0 M 3.5 16 C 3.5 9 9 3.5 16 3.5"
diamond = "M 5 5 L 8.5 6.5 L 10 10 L 6.5 8.5 Z"
print("# wave-border.yaml - the certificate border: a gold outer frame, a red inner")
print("# frame, gold wave ribbons between them and red-and-gold corner ornaments, for an")
print(f"# A4 landscape page ({W:g} x {H:g} mm). Made by scripts/make-border.py (edit that and")
print("# regenerate, do not edit this by hand); a layout draws it with")
print("#   art:")
print("#     - use: wave-border")
print("# once per document as a shared group. Paths are SVG path data in millimetres.")
print(f"page: [{W:g}, {H:g}]")
print("art:")
print(f"  - rect: {{x: {O}, y: {O}, w: {W - 2 * O}, h: {H - 2 * O}}}")
print(f"    stroke: \"{GOLD}\"")
print("    width: 2.2")
print(f"  - rect: {{x: {I}, y: {I}, w: {W - 2 * I}, h: {H - 2 * I}}}")
print(f"    stroke: \"{RED}\"")
print("    width: 0.9")
m = I + 16
for (x0, y0, x1, y1) in ((m, MID, W - m, MID), (m, H - MID, W - m, H - MID),
                         (MID, m, MID, H - m), (W - MID, m, W - MID, H - m)):
    print(f"  - path: \"{wave(x0, y0, x1, y1)}\"")
    print(f"    fill: \"{GOLD}\"")
for (ax, ay, sx, sy) in ((I, I, 1, 1), (W - I, I, -1, 1), (I, H - I, 1, -1),
                         (W - I, H - I, -1, -1)):
    print(f"  - path: \"{arcs}\"")
    print(f"    at: [{ax}, {ay}]")
    print(f"    scale: [{sx}, {sy}]")
    print(f"    stroke: \"{RED}\"")
    print("    width: 0.8")
    print(f"  - path: \"{diamond}\"")
    print(f"    at: [{ax}, {ay}]")
    print(f"    scale: [{sx}, {sy}]")
    print(f"    fill: \"{GOLD}\"")
