#!/usr/bin/env python3
"""record-names.py FILE... - print the proper names a certificate record gives, one a
line: the organization's name, place and superior body, and every recipient's name,
collective name and unit (also from a recipients_csv file, UTF-8 or Windows-1258).
tests/run-geometry.sh hands them to geometry-check.py --names: a line of the
achievement or details never breaks inside one of them (issue 7 item 5).
Reads YAML with PyYAML (Debian python3-yaml); JSON is YAML too."""
import csv
import os
import sys

import yaml

NAME_KEYS = ("name", "collective", "unit", "ho_ten", "tap_the", "don_vi")
ORG_KEYS = ("name", "place", "superior")


def text(v):
    return " ".join(str(v).split()) if isinstance(v, (str, int)) else ""


def csv_names(path, out):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "cp1258"):
        try:
            data = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    for row in csv.DictReader(data.splitlines()):
        for k in NAME_KEYS:
            if row.get(k):
                out.add(text(row[k]))


def walk(v, base, out):
    if isinstance(v, dict):
        org = v.get("organization")
        if isinstance(org, dict):
            for k in ORG_KEYS:
                if org.get(k):
                    out.add(text(org[k]))
        rs = v.get("recipients")
        for r in rs if isinstance(rs, list) else []:
            if isinstance(r, dict):
                for k in NAME_KEYS:
                    if r.get(k):
                        out.add(text(r[k]))
        c = v.get("recipients_csv")
        if isinstance(c, str) and os.path.isfile(os.path.join(base, c)):
            csv_names(os.path.join(base, c), out)
        for x in v.values():
            walk(x, base, out)
    elif isinstance(v, list):
        for x in v:
            walk(x, base, out)


def main():
    out = set()
    for f in sys.argv[1:]:
        if f.endswith(".csv"):
            csv_names(f, out)
        elif f.endswith((".yaml", ".yml", ".json")):
            with open(f, encoding="utf-8-sig") as fh:
                walk(yaml.safe_load(fh), os.path.dirname(f), out)
    for n in sorted(out):
        if " " in n:
            print(n)


if __name__ == "__main__":
    main()
