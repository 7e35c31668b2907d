#!/usr/bin/env python3
"""Writes the PDF fixtures in this folder with a minimal hand-written PDF generator.

Run from anywhere: python3 Fixtures/formats/pdf/make-pdfs.py
The text is invented for Trawl's tests. Each page is Helvetica text in one content stream.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_stream(lines):
    """A content stream writing `lines` top-down at 11 pt, 14 pt apart; "" leaves a gap wide enough
    (28 pt more) for pdftotext to see a paragraph break."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        if line:
            ops.append("(%s) Tj" % escape(line))
            ops.append("T*")
        else:
            ops.append("0 -28 Td")
    ops.append("ET")
    return "\n".join(ops)


def write_pdf(path, page_streams, info=None):
    objects = []  # body of object n is objects[n - 1]
    page_count = len(page_streams)
    font = 3 + 2 * page_count
    kids = " ".join("%d 0 R" % (3 + 2 * i) for i in range(page_count))
    objects.append("<< /Type /Catalog /Pages 2 0 R >>")
    objects.append("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, page_count))
    for i, stream in enumerate(page_streams):
        content = 4 + 2 * i
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            "/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, content))
        data = stream.encode("latin-1")
        objects.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(data), stream))
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    trailer_info = ""
    if info:
        entries = " ".join("/%s (%s)" % (key, escape(value)) for key, value in info.items())
        objects.append("<< %s >>" % entries)
        trailer_info = " /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (number, body)).encode("latin-1")
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode("ascii")
    for offset in offsets:
        out += ("%010d 00000 n \n" % offset).encode("ascii")
    out += ("trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, trailer_info, xref)).encode("ascii")
    with open(os.path.join(HERE, path), "wb") as f:
        f.write(out)
    return bytes(out)


BRIEF_PAGE_1 = [
    "Red Sea Shipping: Insurance and Rerouting, Winter Brief",
    "",
    "Summary. War-risk premiums for vessels crossing the southern Red Sea rose again in",
    "November, and two of the largest container lines said they would keep routing",
    "around the Cape of Good Hope until at least the end of the first quarter.",
    "",
    "Underwriters in London quoted premiums of 0.7 per cent of hull value for a single",
    "transit, up from 0.5 per cent in September. Brokers said the increase reflected",
    "renewed attacks near the Bab el-Mandeb strait and slow progress in the nego-",
    "tiations on a maritime security arrangement.",
]
BRIEF_PAGE_2 = [
    "Outlook. Port authorities in Djibouti and Jeddah reported lower call numbers. A",
    "shipping analyst in Singapore said the detour adds ten to fourteen days to a voyage",
    "between Asia and northern Europe, and that freight rates would stay high through",
    "the Lunar New Year.",
    "",
    "Indicators to watch: new escorts by European navies, a drop in Suez Canal",
    "revenue, and any change in the wording of Lloyd's Joint War Committee listings.",
    "The Cairo-based canal authority is well-known for publishing monthly figures.",
]


def main():
    write_pdf(
        "red-sea-shipping-brief.pdf",
        [text_stream(BRIEF_PAGE_1), text_stream(BRIEF_PAGE_2)],
        info={
            "Title": "Red Sea Shipping: Insurance and Rerouting",
            "Author": "Maritime Risk Desk",
            "CreationDate": "D:20251118093000Z",
            "Producer": "Trawl fixture generator",
        },
    )
    write_pdf(
        "no-info-bulletin.pdf",
        [text_stream([
            "Niger Delta Pipeline Repairs Completed",
            "",
            "Engineers finished repairs on the Trans Niger Pipeline on Monday, the operator",
            "said, ending a three-week shutdown that cut crude exports from Bonny.",
        ])],
    )
    write_pdf(
        "scanned-page-no-text.pdf",
        ["0.2 0.2 0.2 RG 2 w 72 500 468 200 re S 0.8 g 100 530 412 140 re f"],
        info={"Title": "Scanned map", "CreationDate": "D:20251119120000+01'00'"},
    )
    whole = write_pdf(
        "truncated-report.pdf",
        [text_stream(["Sahel Fuel Blockade Update", "", "This file was cut off in transit."])],
    )
    # Keep only the header and the start of the first object: no pages, no xref, no trailer.
    with open(os.path.join(HERE, "truncated-report.pdf"), "wb") as f:
        f.write(whole[:60])


if __name__ == "__main__":
    main()
