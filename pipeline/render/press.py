"""What the print shop needs of the print PDF beyond its layout: the printing condition it is made
for (a registered one, with its ICC profile as the output intent), pictures in that condition's
CMYK, and crop marks in a slug outside the bleed.

The condition is magazine.toml's `[print]` (the print shop's own profile and the condition it is
characterised for), else FOGRA39, offset on coated paper (ISO 12647-2), from a profile that
`make setup` makes of Fogra's data (tools/press_profile.py).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PROFILE = ROOT / "build" / "icc" / "FOGRA39L.icc"
FALLBACK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")   # no registered condition
ICC_REGISTRY = "http://www.color.org"
MM = 72 / 25.4
BLEED = 3 * MM      # what the press trims into: pictures and colour run this far past the trim
SLUG = 10           # mm of paper outside the trim: the bleed, then the crop marks (print.css `bleed`)


@dataclass(frozen=True)
class Condition:
    """The printing condition the print PDF is made for: its ICC profile, and how the PDF's output
    intent names it (a registered identifier such as FOGRA39, or the profile's own description)."""
    profile: Path
    identifier: str
    registry: str = ""
    text: str = ""

    @property
    def registered(self) -> bool:
        return bool(self.registry)


FOGRA39 = ("FOGRA39", "Offset printing, according to ISO 12647-2:2004/Amd 1, OFCOM, paper type 1 or 2 = coated art, "
           "115 g/m2, tone value increase curves A (CMY) and B (K)")


def condition(magazine: dict, sources: Path | None) -> Condition:
    """magazine.toml's `[print]` (checked when it was read: sources.check_print), else FOGRA39."""
    given = magazine.get("print", {}) if isinstance(magazine.get("print"), dict) else {}
    if given.get("profile") and sources is not None:
        profile = (sources / given["profile"]).resolve()
        ident = given.get("condition") or profile_description(profile.read_bytes())
        return Condition(profile, ident, ICC_REGISTRY if given.get("condition") else "",
                         given.get("condition_text", ""))
    if DEFAULT_PROFILE.is_file():
        return Condition(DEFAULT_PROFILE, FOGRA39[0], ICC_REGISTRY, FOGRA39[1])
    return Condition(FALLBACK_PROFILE, profile_description(FALLBACK_PROFILE.read_bytes()))


def profile_problem(data: bytes) -> str:
    """Why these bytes are not an ICC profile of a CMYK printing condition ("" if they are)."""
    if len(data) < 132 or data[36:40] != b"acsp":
        return "not an ICC profile"
    if data[16:20] != b"CMYK":
        return f"an ICC profile of {data[16:20].decode('latin-1').strip()} colour, not CMYK"
    if data[12:16] != b"prtr":
        return "a CMYK ICC profile, but not of an output device (a printing condition)"
    return ""


def profile_description(data: bytes) -> str:
    from PIL import ImageCms
    return ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(data))).strip()


def color_profile_css(cond: Condition) -> str:
    """The rule that makes WeasyPrint write the profile as the output intent and `device-cmyk()`
    colours in it: WeasyPrint writes the OutputIntent only when the document's own style declares it."""
    return (f'@color-profile device-cmyk {{ src: url("{cond.profile.as_uri()}"); '
            "components: cyan, magenta, yellow, black; }")


def finisher(cond: Condition):
    """For write_pdf: the output intent named as the condition's registry knows it, and each page's
    BleedBox 3 mm around its trim (the CSS bleed is the slug, where the marks are)."""
    import pydyf

    def finish(document, pdf):
        intents = pdf.catalog.get("OutputIntents")
        for intent in intents or []:
            intent["OutputConditionIdentifier"] = pydyf.String(cond.identifier)
            intent["Info"] = pydyf.String(cond.text or cond.identifier)
            if cond.registered:
                intent["RegistryName"] = pydyf.String(cond.registry)
            if cond.text:
                intent["OutputCondition"] = pydyf.String(cond.text)
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page" and "TrimBox" in obj:
                left, top, right, bottom = (float(v) for v in obj["TrimBox"])
                obj["BleedBox"] = pydyf.Array([round(left - BLEED, 3), round(top - BLEED, 3),
                                               round(right + BLEED, 3), round(bottom + BLEED, 3)])
    return finish


GREY_TOLERANCE = 3    # a picture whose channels differ by no more than this is grey: set in black ink


def press_image(data: bytes, profile: Path) -> tuple[bytes, str]:
    """A picture for the press: grey ones as DeviceGray (black ink only), colour ones converted to
    CMYK through the condition's profile (Pillow ImageCms; from the picture's own profile, else
    sRGB) and saved as JPEG.  Never DeviceRGB in the print PDF."""
    from PIL import Image, ImageChops, ImageCms, ImageOps
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        icc = im.info.get("icc_profile")
        im = ImageOps.exif_transpose(im)
        if im.mode == "CMYK":
            out, fmt = im, "JPEG"
        else:
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                rgba = im.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))   # paper
                flat.paste(rgba, mask=rgba.getchannel("A"))
                im = flat
            rgb = im.convert("RGB")
            r, g, b = rgb.split()
            spread = max(ImageChops.difference(r, g).getextrema()[1], ImageChops.difference(g, b).getextrema()[1])
            if spread <= GREY_TOLERANCE:
                out, fmt = rgb.convert("L"), ("JPEG" if data[:2] == b"\xff\xd8" else "PNG")   # lossless stays lossless
            else:
                source = (ImageCms.ImageCmsProfile(io.BytesIO(icc)) if icc else ImageCms.createProfile("sRGB"))
                out = ImageCms.profileToProfile(rgb, source, str(profile), outputMode="CMYK",
                                                renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
                fmt = "JPEG"
    buf = io.BytesIO()
    if fmt == "JPEG":
        out.save(buf, "JPEG", quality=95, subsampling=0)
    else:
        out.save(buf, "PNG", optimize=True)
    return buf.getvalue(), "image/jpeg" if fmt == "JPEG" else "image/png"
