"""A structural check of the PDF/A-2b requirements Cocrea's PDFs must meet (ISO 19005-2, level B),
used where veraPDF cannot be installed. It reads the file with pyHanko's PDF reader, independent of
Cocrea's own, and prints one line per unmet requirement; docs/pdfa.md says what it checks and what
it leaves to a full validator.

    python3 Tests/support/pdfa_check.py FILE.pdf   # exit 0 and "PDF/A-2b: OK", or 1 and the problems
"""
import datetime
import re
import sys
import xml.etree.ElementTree as ET

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NAMESPACES = {
    "rdf": RDF,
    "x": "adobe:ns:meta/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
# Schemas ISO 19005-2 (6.6.2.3.2) takes as known; any other needs a pdfaExtension description.
PREDEFINED = {
    NAMESPACES["dc"], NAMESPACES["xmp"], NAMESPACES["pdf"], NAMESPACES["pdfaid"], NAMESPACES["pdfaExtension"],
    NAMESPACES["pdfaSchema"], NAMESPACES["pdfaProperty"], "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/photoshop/1.0/", "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
}
# Annotation flags: Invisible 1, Hidden 2, Print 4, NoView 32.
PRINT, FORBIDDEN_FLAGS = 4, 1 | 2 | 32


def pdf_date(text):
    """A PDF date (D:YYYYMMDDHHmmSSOHH'mm) as an aware datetime."""
    match = re.fullmatch(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?(?:Z00'00')?", text)
    if not match:
        return None
    *parts, zone = match.groups()
    return datetime.datetime(*map(int, parts), tzinfo=offset(zone))


def xmp_date(text):
    try:
        value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else None


def offset(zone):
    if zone in (None, "Z"):
        return datetime.timezone.utc
    digits = zone.replace("'", "")
    minutes = int(digits[1:3]) * 60 + int(digits[3:5])
    return datetime.timezone(datetime.timedelta(minutes=minutes if digits[0] == "+" else -minutes))


def resolve(value):
    return value.get_object() if isinstance(value, generic.IndirectObject) else value


def pages(node):
    node = resolve(node)
    if node.get("/Type") == "/Pages":
        for kid in node["/Kids"]:
            yield from pages(kid)
    else:
        yield node


def fonts(resources, seen):
    """Every font a resource dictionary reaches, through form XObjects and Type 3 fonts too."""
    resources = resolve(resources)
    if not isinstance(resources, generic.DictionaryObject) or id(resources) in seen:
        return
    seen.add(id(resources))
    for name, font in resolve(resources.get("/Font", generic.DictionaryObject())).items():
        font = resolve(font)
        yield name, font
        if font.get("/Subtype") == "/Type3" and "/Resources" in font:
            yield from fonts(font["/Resources"], seen)
    for xobject in resolve(resources.get("/XObject", generic.DictionaryObject())).values():
        xobject = resolve(xobject)
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from fonts(xobject["/Resources"], seen)


def appearance_resources(page):
    """The resources of every normal appearance of the page's annotations (one stream, or one per state)."""
    for annotation in resolve(page.get("/Annots", generic.ArrayObject())):
        normal = resolve(resolve(resolve(annotation).get("/AP", generic.DictionaryObject())).get("/N"))
        streams = [normal] if isinstance(normal, generic.StreamObject) else [resolve(s) for s in getattr(normal, "values", lambda: [])()]
        for stream in streams:
            if isinstance(stream, generic.StreamObject) and "/Resources" in stream:
                yield stream["/Resources"]


def check_fonts(reader, problems):
    seen = set()
    for number, page in enumerate(pages(reader.root["/Pages"]), start=1):
        resources = [page.get("/Resources", generic.DictionaryObject())] + list(appearance_resources(page))
        for name, font in (found for each in resources for found in fonts(each, seen)):
            if font.get("/Subtype") == "/Type3":
                continue
            described = resolve(font["/DescendantFonts"][0]) if font.get("/Subtype") == "/Type0" else font
            descriptor = resolve(described.get("/FontDescriptor", generic.DictionaryObject()))
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"page {number}: font {name} ({described.get('/BaseFont')}) is not embedded")
            if described.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in described:
                problems.append(f"page {number}: CID font {name} ({described.get('/BaseFont')}) has no /CIDToGIDMap")


def check_annotations(reader, problems):
    for number, page in enumerate(pages(reader.root["/Pages"]), start=1):
        for annotation in resolve(page.get("/Annots", generic.ArrayObject())):
            annotation = resolve(annotation)
            flags = int(annotation.get("/F", 0))
            if not flags & PRINT or flags & FORBIDDEN_FLAGS:
                problems.append(f"page {number}: annotation {annotation.get('/Subtype')} has flags {flags}, not printable and visible")
            rect = [float(value) for value in resolve(annotation.get("/Rect", generic.ArrayObject()))]
            sized = len(rect) == 4 and rect[0] != rect[2] and rect[1] != rect[3]
            appearance = resolve(annotation.get("/AP"))
            if sized and annotation.get("/Subtype") not in ("/Popup", "/Link") and (appearance is None or list(appearance.keys()) != ["/N"]):
                problems.append(f"page {number}: annotation {annotation.get('/Subtype')} {annotation.get('/T')} has no appearance of its own (/AP with only /N)")
    form = resolve(reader.root.get("/AcroForm", generic.DictionaryObject()))
    if form.get("/NeedAppearances") is True or str(form.get("/NeedAppearances")) == "True":
        problems.append("the form asks the viewer to draw its fields (/NeedAppearances true)")


def check_output_intent(reader, problems):
    intents = [resolve(intent) for intent in resolve(reader.root.get("/OutputIntents", generic.ArrayObject()))]
    pdfa = [intent for intent in intents if intent.get("/S") == "/GTS_PDFA1"]
    if not pdfa:
        problems.append("no /OutputIntents entry with /S /GTS_PDFA1")
        return
    profiles = {id(resolve(intent.get("/DestOutputProfile"))) for intent in pdfa}
    if len(profiles) != 1:
        problems.append("the GTS_PDFA1 output intents do not share one profile")
    profile = resolve(pdfa[0].get("/DestOutputProfile"))
    if not isinstance(profile, generic.StreamObject):
        problems.append("the output intent has no embedded ICC profile (/DestOutputProfile)")
        return
    icc = profile.data
    if len(icc) < 128 or icc[36:40] != b"acsp":
        problems.append("/DestOutputProfile is not an ICC profile")
        return
    if icc[16:20] != b"RGB " or profile.get("/N") != 3:
        problems.append(f"the output profile's colour space is {icc[16:20]!r} with /N {profile.get('/N')}, not RGB")
    if icc[12:16] not in (b"mntr", b"prtr"):
        problems.append(f"the output profile's class is {icc[12:16]!r}, not an output (mntr/prtr) profile")
    if icc[8] > 4:
        problems.append(f"the output profile is ICC version {icc[8]}, newer than PDF/A-2 allows")
    if "/OutputConditionIdentifier" not in pdfa[0]:
        problems.append("the output intent has no /OutputConditionIdentifier")


def xmp_text(description, name):
    """A simple property, or the x-default (else first) item of a language alternative."""
    element = description.find(name, NAMESPACES)
    if element is None:
        return None
    item = element.find("rdf:Alt/rdf:li[@{http://www.w3.org/XML/1998/namespace}lang='x-default']", NAMESPACES)
    item = item if item is not None else element.find("rdf:Alt/rdf:li", NAMESPACES)
    return (item if item is not None else element).text or ""


def check_metadata(reader, problems):
    stream = resolve(reader.root.get("/Metadata"))
    if not isinstance(stream, generic.StreamObject):
        problems.append("the catalog has no /Metadata XMP stream")
        return
    if "/Filter" in stream:
        problems.append("the XMP metadata stream is compressed (/Filter)")
    if stream.get("/Type") != "/Metadata" or stream.get("/Subtype") != "/XML":
        problems.append("the metadata stream is not /Type /Metadata /Subtype /XML")
    text = stream.data.decode("utf-8")
    header = re.search(r"<\?xpacket begin=[^?]*\?>", text)
    if not header or re.search(r"\b(bytes|encoding)=", header.group(0)):
        problems.append("the XMP packet header is missing or has bytes/encoding attributes")
    try:
        root = ET.fromstring(text[text.index("<x:xmpmeta"):text.rindex("</x:xmpmeta>") + len("</x:xmpmeta>")])
    except (ValueError, ET.ParseError) as error:
        problems.append(f"the XMP metadata does not parse: {error}")
        return
    descriptions = root.findall("rdf:RDF/rdf:Description", NAMESPACES)
    values = {}
    for description in descriptions:
        for name in ("pdfaid:part", "pdfaid:conformance", "dc:title", "xmp:CreatorTool", "pdf:Producer", "xmp:CreateDate",
                     "xmp:ModifyDate", "dc:creator", "dc:description", "pdf:Keywords"):
            value = description.get(f"{{{NAMESPACES[name.split(':')[0]]}}}{name.split(':')[1]}") or xmp_text(description, name)
            if value is not None:
                values[name] = value
    if values.get("pdfaid:part") != "2" or values.get("pdfaid:conformance") != "B":
        problems.append(f"XMP says pdfaid:part {values.get('pdfaid:part')} conformance {values.get('pdfaid:conformance')}, not 2 and B")
    check_extension_schemas(descriptions, problems)
    check_info_agrees(reader, values, problems)


def check_extension_schemas(descriptions, problems):
    """Every property outside the predefined schemas must be described by a pdfaExtension schema."""
    described = {}
    for schema in descriptions:
        for item in schema.findall("pdfaExtension:schemas/rdf:Bag/rdf:li", NAMESPACES):
            uri = xmp_text(item, "pdfaSchema:namespaceURI")
            names = {xmp_text(p, "pdfaProperty:name") for p in item.findall("pdfaSchema:property/rdf:Seq/rdf:li", NAMESPACES)}
            described.setdefault(uri, set()).update(names)
    for description in descriptions:
        properties = [child.tag for child in description] + [key for key in description.attrib if key.startswith("{")]
        for tag in properties:
            namespace, name = tag[1:].split("}")
            if namespace in PREDEFINED or namespace in (RDF, "http://www.w3.org/XML/1998/namespace"):
                continue
            if name not in described.get(namespace, set()):
                problems.append(f"XMP property {name} of {namespace} has no pdfaExtension schema")


def check_info_agrees(reader, xmp, problems):
    info = resolve(reader.trailer_view.get("/Info"))
    if info is None:
        return
    for key, name in (("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Subject", "dc:description"), ("/Keywords", "pdf:Keywords"),
                      ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer")):
        if key in info and str(info[key]) != xmp.get(name):
            problems.append(f"Info {key} {str(info[key])!r} differs from XMP {name} {xmp.get(name)!r}")
    for key, name in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key in info and (pdf_date(str(info[key])) is None or pdf_date(str(info[key])) != xmp_date(xmp.get(name) or "")):
            problems.append(f"Info {key} {str(info[key])!r} differs from XMP {name} {xmp.get(name)!r}")


def problems_of(path):
    with open(path, "rb") as handle:
        data = handle.read()
    problems = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", data):
        problems.append("the header is not %PDF-1.n followed by a comment of four bytes above 127")
    if not re.search(rb"%%EOF(\r\n|\r|\n)?$", data):
        problems.append("data follows the last %%EOF")
    with open(path, "rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        if "/Encrypt" in reader.trailer_view:
            problems.append("the file is encrypted")
        identifier = reader.trailer_view.get("/ID")
        if not isinstance(identifier, generic.ArrayObject) or len(identifier) != 2:
            problems.append("the trailer has no /ID")
        names = resolve(reader.root.get("/Names", generic.DictionaryObject()))
        if "/EmbeddedFiles" in names:
            problems.append("the file embeds files, which PDF/A-2 allows only when they are PDF/A themselves")
        for key in ("/OpenAction", "/AA"):
            if key in reader.root:
                problems.append(f"the catalog has {key}")
        check_metadata(reader, problems)
        check_output_intent(reader, problems)
        check_fonts(reader, problems)
        check_annotations(reader, problems)
    return problems


if __name__ == "__main__":
    found = problems_of(sys.argv[1])
    for problem in found:
        print(problem)
    print("PDF/A-2b: OK" if not found else f"PDF/A-2b: {len(found)} problem(s)")
    sys.exit(1 if found else 0)
