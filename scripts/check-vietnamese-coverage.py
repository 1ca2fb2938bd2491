#!/usr/bin/env python3
"""Check that a font covers the 134 precomposed Vietnamese letters.

67 lower case (ă â đ ê ô ơ ư, and a ă â e ê i o ô ơ u ư y with each of the five
tones) plus their 67 upper-case forms. Uses `fc-query --format '%{charset}'`,
so it needs only fontconfig. Usage: check-vietnamese-coverage.py FONT...
Exit status 0 when every font covers every letter.
"""
import subprocess
import sys
import unicodedata

VOWELS = "aăâeêioôơuưy"
TONES = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # huyền sắc hỏi ngã nặng


def letters():
    lower = list("ăâđêôơư")
    for v in VOWELS:
        for t in TONES:
            c = unicodedata.normalize("NFC", v + t)
            assert len(c) == 1, (v, t)
            lower.append(c)
    assert len(lower) == 67 and len(set(lower)) == 67
    upper = [c.upper() for c in lower]
    return lower + upper


def charset(path):
    out = subprocess.run(["fc-query", "--format", "%{charset}", path],
                         check=True, capture_output=True, text=True).stdout
    cps = set()
    for part in out.split():
        lo, _, hi = part.partition("-")
        cps.update(range(int(lo, 16), int(hi or lo, 16) + 1))
    return cps


def main(paths):
    want = letters()
    ok = True
    for path in paths:
        have = charset(path)
        missing = [c for c in want if ord(c) not in have]
        if missing:
            ok = False
            print(f"{path}: missing {len(missing)} of {len(want)}: "
                  + " ".join(f"{c} U+{ord(c):04X}" for c in missing))
        else:
            print(f"{path}: all {len(want)} precomposed Vietnamese letters covered")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
