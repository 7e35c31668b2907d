#!/usr/bin/env python3
"""Writes the office-format fixtures of Fixtures/formats/office (and the unread/ and plain/
samples beside it): .docx and .odt built with zipfile from hand-written XML, .rtf by hand, a
truncated .docx, a password-protected .docx (an OLE compound file holding an "encrypted" package,
as Office writes one) and a zip bomb. Deterministic: run it again and git sees no change.
The text is invented for Trawl's tests."""
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FORMATS = os.path.dirname(HERE)
STAMP = (2025, 11, 20, 9, 0, 0)


def write_zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, method in members:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = method
            archive.writestr(info, data)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' \
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'


def para(text, style=None):
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def cell(text):
    return f"<w:tc><w:tcPr/>{para(text)}</w:tc>"


DOCUMENT = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W}><w:body>
{para("Ceasefire Monitoring Brief", "Title")}
{para("Key findings", "Heading1")}
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
<w:r><w:t>Obser</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>vers counted</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">fourteen violations north of the Litani &amp; two near Naqoura</w:t></w:r>
<w:r><w:delText>retractedword</w:delText></w:r>
<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "http://example.invalid/fieldcodeword" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> (see the map)</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>.</w:t></w:r></w:p>
<w:tbl><w:tblPr/>
<w:tr>{cell("Sector")}{cell("Incidents")}</w:tr>
<w:tr>{cell("Marjayoun")}{cell("14")}</w:tr>
</w:tbl>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{para("Sandbag positions were photographed.")}</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{para("Sandbag positions were photographed.")}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
{para("Patrols resume on Thursday; the next brief follows in a week.")}
<w:sectPr/></w:body></w:document>
"""

FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {W}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1">{para("Counts from the quartermaster logs of two battalions.")}</w:footnote>
</w:footnotes>
"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Ceasefire Monitoring Brief</dc:title><dc:creator>Layla Nasser</dc:creator>
<cp:keywords>ceasefire; monitoring</cp:keywords><dc:language>en-GB</dc:language>
<dcterms:created xsi:type="dcterms:W3CDTF">2025-11-12T09:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2025-11-13T16:20:00Z</dcterms:modified>
</cp:coreProperties>
"""

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
"""


def docx_members():
    return [
        ("[Content_Types].xml", CONTENT_TYPES, zipfile.ZIP_DEFLATED),
        ("word/document.xml", DOCUMENT, zipfile.ZIP_DEFLATED),
        ("word/footnotes.xml", FOOTNOTES, zipfile.ZIP_DEFLATED),
        ("docProps/core.xml", CORE, zipfile.ZIP_STORED),
    ]


O = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' \
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' \
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' \
    'xmlns:dc="http://purl.org/dc/elements/1.1/" ' \
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'

CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {O} office:version="1.3">
<office:automatic-styles><style:style xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" style:name="P1"/></office:automatic-styles>
<office:body><office:text>
<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>obsoleteword</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:h text:outline-level="1">Port Inspection Notes</text:h>
<text:p>Inspectors boarded<text:s text:c="3"/>the vessel<text:tab/>at dawn and found the manifest in order<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>The harbour master keeps the bollard register.</text:p></text:note-body></text:note>.</text:p>
<office:annotation><dc:creator>Reviewer</dc:creator><text:p>reviewerword</text:p></office:annotation>
<text:list><text:list-item><text:p>Containers sealed: 212</text:p></text:list-item><text:list-item><text:p>Reefer units checked</text:p></text:list-item></text:list>
<table:table table:name="Berths"><table:table-column/><table:table-row><table:table-cell><text:p>Berth</text:p></table:table-cell><table:table-cell><text:p>Status</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>Quay 4</text:p></table:table-cell><table:table-cell><text:p>Dredging</text:p></table:table-cell></table:table-row></table:table>
<text:p>Next inspection:<text:line-break/>Tuesday.</text:p>
</office:text></office:body></office:document-content>
"""

META = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {O} office:version="1.3"><office:meta>
<dc:title>Port Inspection Notes</dc:title><meta:initial-creator>Tomas Reyes</meta:initial-creator><dc:creator>Port Desk</dc:creator>
<meta:creation-date>2025-11-14T07:45:00</meta:creation-date><dc:date>2025-11-15T10:00:00</dc:date>
<meta:keyword>ports</meta:keyword><meta:keyword>inspections</meta:keyword><dc:language>es-ES</dc:language>
</office:meta></office:document-meta>
"""

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

# RTF written by hand: a font table with a Cyrillic font (\fcharset204), the \info group, a
# picture, \'hh escapes in Windows-1252 and 1251, \u escapes with \uc1 fallbacks (a surrogate
# pair too), a {\* } destination, a table and a footnote.
RTF = r"""{\rtf1\ansi\ansicpg1252\deff0\uc1
{\fonttbl{\f0\froman\fcharset0 Times New Roman;}{\f1\fswiss\fcharset204 Arial Cyr;}}
{\colortbl;\red0\green0\blue0;}
{\stylesheet{\s1 heading 1;}}
{\info{\title Grain Shipment Memo}{\author Olena Kovalenko}{\keywords grain; Odesa}{\creatim\yr2025\mo11\dy17\hr9\min30}{\revtim\yr2025\mo11\dy19\hr8\min0}}
{\*\generator Handwritten 1.0;}
\pard\plain\f0 Grain Shipment Memo\par
The caf\'e9 owners in Od\'e9sa\~quay heard that freight now costs \u8364? 42 a tonne \endash  up from \u8364? 35.\par
{\pict\pngblip\picw10\pich10 89504e470d0a1a0a0000000d49484452deadbeefpictureword}
Loaded: wheat and barley{\super\chftn}{\footnote\pard\plain\chftn  Tonnages from the harbour elevator ledger.}.\par
{\f1 \'e7\'e5\'f0\'ed\'ee} is the Ukrainian-Russian word on the dockside signs \u-10179?\u-8704? .\par
{\*\bkmkstart hiddenbookmarkword}\trowd\cellx2000\cellx4000 Berth\cell Tonnes\cell\row
\trowd\cellx2000\cellx4000 Pier 7\cell 18000\cell\row
\pard Convoy escorts are expected next week.\par
}
"""


def compound_file(streams):
    """A minimal OLE compound file (512-byte sectors, every stream >= 4096 bytes so no mini
    stream): header, one FAT sector, one directory sector, then the streams."""
    sector = 512
    free, end_chain, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    data_sectors = []
    fat = [fat_sector, end_chain]  # sector 0: FAT, sector 1: directory
    starts = []
    for _, data in streams:
        count = (len(data) + sector - 1) // sector
        first = len(fat)
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [end_chain]
        data_sectors.append(data.ljust(count * sector, b"\0"))
    fat += [free] * (sector // 4 - len(fat))

    def entry(name, kind, left, right, child, start, size):
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    none = 0xFFFFFFFF
    directory = entry("Root Entry", 5, none, none, 1, end_chain, 0)
    directory += entry(streams[0][0], 2, none, 2, none, starts[0], len(streams[0][1]))
    directory += entry(streams[1][0], 2, none, none, none, starts[1], len(streams[1][1]))
    directory = directory.ljust(sector, b"\0")
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIII", 0, 1, 1, 0, 4096, end_chain, 0, end_chain)
              + struct.pack("<I", 0) + struct.pack("<I", 0))
    difat = struct.pack("<I", 0) + struct.pack("<I", none) * 108
    header = (header + difat)[:sector]
    return header + struct.pack("<128I", *fat) + directory + b"".join(data_sectors)


def main():
    office = HERE
    write_zip(os.path.join(office, "ceasefire-brief.docx"), docx_members())
    write_zip(os.path.join(office, "port-inspection-notes.odt"), [
        ("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED),
        ("content.xml", CONTENT, zipfile.ZIP_DEFLATED),
        ("meta.xml", META, zipfile.ZIP_DEFLATED),
        ("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED),
    ])
    with open(os.path.join(office, "grain-shipment-memo.rtf"), "wb") as handle:
        handle.write(RTF.encode("ascii"))
    # The same brief cut off two thirds of the way: the central directory is gone.
    full = os.path.join(office, "ceasefire-brief.docx")
    with open(full, "rb") as handle:
        whole = handle.read()
    with open(os.path.join(office, "truncated-brief.docx"), "wb") as handle:
        handle.write(whole[: len(whole) * 2 // 3])
    # What Word writes for a password: EncryptionInfo and EncryptedPackage streams in a compound
    # file (the package bytes here are noise, not real encryption).
    noise = bytes((i * 73 + 41) % 256 for i in range(4096))
    info = struct.pack("<HHI", 4, 4, 0x40) + b"\0" * 4088
    with open(os.path.join(office, "password-protected.docx"), "wb") as handle:
        handle.write(compound_file([("EncryptionInfo", info), ("EncryptedPackage", noise)]))
    # A zip bomb: 80 MiB of spaces inside word/document.xml, about 80 KB compressed.
    bomb = "<w:document " + W + "><w:body>" + " " * (80 * 1024 * 1024) + "</w:body></w:document>"
    write_zip(os.path.join(office, "zip-bomb.docx"), [
        ("word/document.xml", bomb, zipfile.ZIP_DEFLATED),
    ])

    plain = os.path.join(FORMATS, "plain")
    os.makedirs(plain, exist_ok=True)
    with open(os.path.join(plain, "WIRE0001"), "w", encoding="utf-8") as handle:
        handle.write("Tanker Convoy Leaves Basra\n\nBASRA, Nov 18 - A convoy of six tankers left the "
                     "southern terminal under naval escort, the port authority said.\n")
    with open(os.path.join(plain, "WIRE0002"), "wb") as handle:
        handle.write("Mosul Bridge Reopens\n\nMOSUL, Nov 19 - The rebuilt bridge reopened to traffic; "
                     "engineers from the caf\u00e9 district said the works ran on budget.\n".encode("cp1252"))
    with open(os.path.join(plain, "SENSORDUMP"), "wb") as handle:
        handle.write(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4)
    with open(os.path.join(plain, "dispatch.log"), "w", encoding="utf-8") as handle:
        handle.write("Dispatch Log Kirkuk\n\n09:10 relay station reports generator fault; "
                     "technicians sent from Kirkuk depot.\n")

    unread = os.path.join(FORMATS, "unread")
    os.makedirs(unread, exist_ok=True)
    for name in ["budget-2025.xlsx", "casualty-figures.xlsx", "briefing-slides.pptx"]:
        write_zip(os.path.join(unread, name), [("[Content_Types].xml", CONTENT_TYPES, zipfile.ZIP_DEFLATED)])


if __name__ == "__main__":
    main()
