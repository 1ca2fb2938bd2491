#!/usr/bin/env python3
"""make-forms.py - write the same Vietnamese text in other Unicode forms.

    python3 make-forms.py
        reads nfc.yaml (beside this script; must be NFC UTF-8) and writes
          nfd.yaml    canonical decomposition (NFD): ệ = e U+0323 U+0302
          tohop.yaml  "Unicode tổ hợp" (Unikey composite, Windows Vietnamese
                      keyboard, CP1258): ă â ê ô ơ ư precomposed + a combining
                      tone mark: ệ = ê U+0323; á = a U+0301
        All three must give identical output from vanban (input is NFC'd).

    python3 make-forms.py --cp1258 IN OUT
        converts a UTF-8 text file (BOM optional) to Windows-1258 the way
        Windows writes it: tổ hợp form, tones as combining bytes
        (CC U+0300, EC U+0301, DE U+0303, D2 U+0309, F2 U+0323). Line endings
        are kept as they are in IN. Used for samples/ha-khanh-khen-thuong.csv;
        `iconv -f cp1258 -t utf-8` (then NFC) gives the text back.
"""
import os
import sys
import unicodedata

# Marks that stay attached to the base letter in the tổ hợp form.
NON_TONE = {"\u0302", "\u0306", "\u031B"}            # circumflex, breve, horn
# Tone marks, written as separate combining characters.
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_tohop(text: str) -> str:
    """NFC/NFD/any text -> base letter with ă/â/ê/ô/ơ/ư marks composed, tone combining."""
    out = []
    base = None
    non_tone = []
    tones = []

    def flush():
        if base is not None:
            out.append(unicodedata.normalize("NFC", base + "".join(non_tone)))
            out.extend(tones)

    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if base is None:            # a mark with no base: keep as is
                out.append(ch)
            elif ch in NON_TONE:
                non_tone.append(ch)
            elif ch in TONES:
                tones.append(ch)
            else:                       # any other mark: keep with the base
                non_tone.append(ch)
            continue
        flush()
        base, non_tone, tones = ch, [], []
    flush()
    return "".join(out)


def check_nfc(path: str, text: str) -> None:
    if unicodedata.normalize("NFC", text) != text:
        sys.exit(f"{path}: not NFC")


def forms(here: str) -> None:
    src = os.path.join(here, "nfc.yaml")
    with open(src, encoding="utf-8", newline="") as f:
        text = f.read()
    check_nfc(src, text)
    outputs = {
        "nfd.yaml": unicodedata.normalize("NFD", text),
        "tohop.yaml": to_tohop(text),
    }
    for name, body in outputs.items():
        assert body != text, f"{name}: same as NFC (nothing to decompose?)"
        assert unicodedata.normalize("NFC", body) == text, f"{name}: does not NFC back"
        with open(os.path.join(here, name), "w", encoding="utf-8", newline="") as f:
            f.write(body)
        print(f"wrote {name}: {len(text)} -> {len(body)} code points")
    tohop = outputs["tohop.yaml"]
    assert tohop != outputs["nfd.yaml"]
    assert not unicodedata.is_normalized("NFD", tohop)   # neither NFC nor NFD


def cp1258(inp: str, outp: str) -> None:
    with open(inp, encoding="utf-8-sig", newline="") as f:
        text = unicodedata.normalize("NFC", f.read())
    data = to_tohop(text).encode("cp1258")              # raises on anything unencodable
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == text
    with open(outp, "wb") as f:
        f.write(data)
    print(f"wrote {outp}: {len(data)} bytes (cp1258)")


def main(argv):
    if len(argv) == 4 and argv[1] == "--cp1258":
        cp1258(argv[2], argv[3])
    elif len(argv) == 1:
        forms(os.path.dirname(os.path.abspath(__file__)))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
