#!/usr/bin/python3
"""pdfa-check.py FILE.pdf [TITLE AUTHOR SUBJECT] - independent checks (pikepdf) of
what PDF/A-1b asks of a vanban file: XMP packet with pdfaid part 1 / conformance B
whose dc:title, dc:creator, dc:description and dates agree with the Info dictionary
(and, if given, equal TITLE, AUTHOR, SUBJECT exactly); an OutputIntent /GTS_PDFA1
with an embedded ICC profile (version 2) dated as the document (CreationDate); every font embedded (with a CIDSet for CID
subsets); no encryption; a trailer ID; no transparency (SMask, CA/ca < 1); no
DeviceCMYK image under the RGB output intent (PDF/A-1 6.2.3.3); PDF
version at most 1.4; an unfiltered metadata stream. Prints one line per failure."""
import re
import struct
import sys
import xml.etree.ElementTree as ET

import pikepdf

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
fails = []


def fail(msg):
    fails.append(msg)


def xmp_value(root, path):
    el = root.find(".//" + path, NS)
    if el is None:
        return None
    li = el.find(".//rdf:li", NS)
    return (li.text if li is not None else el.text) or ""


def pdf_date_to_xmp(d):
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z", d)
    return m and "%s-%s-%sT%s:%s:%sZ" % m.groups()


def main():
    path = sys.argv[1]
    want = sys.argv[2:5]
    raw = open(path, "rb").read()
    if not raw.startswith(b"%PDF-1.") or raw[7:8] not in b"01234":
        fail("PDF version above 1.4: %r" % raw[:8])
    pdf = pikepdf.open(path)
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        fail("encrypted")
    ids = pdf.trailer.get("/ID")
    if ids is None or len(ids) != 2 or any(len(bytes(i)) != 16 for i in ids):
        fail("no trailer ID of two 16-byte strings")
    root = pdf.Root
    md = root.get("/Metadata")
    if md is None:
        fail("no XMP metadata stream")
        return
    if "/Filter" in md:
        fail("metadata stream is filtered")
    if md.get("/Subtype") != "/XML" or md.get("/Type") != "/Metadata":
        fail("metadata stream is not /Type /Metadata /Subtype /XML")
    xml = md.read_bytes()
    if not xml.startswith(b'<?xpacket begin="\xef\xbb\xbf"') or not xml.rstrip().endswith(b"<?xpacket end=\"w\"?>"):
        fail("XMP packet wrapper missing or without the BOM")
    x = ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", xml).decode("utf-8"))
    if xmp_value(x, "pdfaid:part") != "1" or xmp_value(x, "pdfaid:conformance") != "B":
        fail("pdfaid part/conformance not 1/B")
    info = pdf.docinfo
    pairs = [("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Subject", "dc:description"),
             ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer"),
             ("/Keywords", "pdf:Keywords")]
    for key, prop in pairs:
        iv = str(info[key]) if key in info else None
        xv = xmp_value(x, prop)
        if iv != xv:
            fail("Info %s %r differs from XMP %s %r" % (key, iv, prop, xv))
    for key, prop in [("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")]:
        iv = str(info.get(key, ""))
        if pdf_date_to_xmp(iv) != xmp_value(x, prop):
            fail("Info %s %r differs from XMP %s %r" % (key, iv, prop, xmp_value(x, prop)))
    for key, w in zip(["/Title", "/Author", "/Subject"], want):
        if str(info.get(key, "")) != w:
            fail("Info %s is %r, expected %r" % (key, str(info.get(key, "")), w))
    intents = root.get("/OutputIntents") or []
    good = [i for i in intents if i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i]
    if not good:
        fail("no /GTS_PDFA1 output intent with a DestOutputProfile")
    else:
        icc = good[0].DestOutputProfile.read_bytes()
        if icc[36:40] != b"acsp" or icc[8] > 2:
            fail("output profile is not an ICC profile of version 2")
        # the profile's creation date (header bytes 24-35) is the document's, not the clock
        made = "D:%04d%02d%02d%02d%02d%02dZ" % struct.unpack(">6H", icc[24:36])
        if made != str(info.get("/CreationDate", "")):
            fail("ICC profile created %s, the document %s" % (made, info.get("/CreationDate")))
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):  # images are streams
            continue
        if obj.get("/Type") == "/FontDescriptor":
            if not any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fail("font %s not embedded" % obj.get("/FontName"))
            name = str(obj.get("/FontName", ""))
            if re.match(r"/[A-Z]{6}\+", name) and "/CIDSet" not in obj and "/CharSet" not in obj:
                fail("font subset %s without CIDSet/CharSet" % name)
        if obj.get("/Type") == "/Font" and obj.get("/Subtype") in ("/TrueType", "/Type1", "/CIDFontType2", "/CIDFontType0"):
            if "/FontDescriptor" not in obj:
                fail("font %s has no descriptor" % obj.get("/BaseFont"))
        if obj.get("/Subtype") == "/Image" and obj.get("/ColorSpace") == "/DeviceCMYK" and \
                good and good[0].DestOutputProfile.read_bytes()[16:20] == b"RGB ":
            fail("a DeviceCMYK image under an RGB output intent")
        if "/SMask" in obj and obj.get("/SMask") != "/None":
            fail("transparency: an SMask")
        for k in ("/CA", "/ca"):
            if k in obj and float(obj[k]) != 1.0:
                fail("transparency: %s %s" % (k, obj[k]))


if __name__ == "__main__":
    main()
    for f in fails:
        print(f)
    sys.exit(1 if fails else 0)
