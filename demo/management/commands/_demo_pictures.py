"""Photos for the demo, drawn here with Pillow: product tubs and bottles, and reviewer portraits.

Nothing comes from the web. Each drawing depends only on its arguments, so
running seed_demo again draws the same picture (it only draws for a product
or reviewer that has none yet).
"""

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

SIZE = 720  # the demo photos' width and height; readers get 240 and 480 px copies and this one
SCALE = 2  # drawn twice as large and scaled down, for smooth edges


def _font(size, bold=False):
    for path in [
        f"/usr/share/fonts/truetype/dejavu/DejaVuSans{'-Bold' if bold else ''}.ttf",
        f"/usr/share/fonts/truetype/liberation/LiberationSans-{'Bold' if bold else 'Regular'}.ttf",
    ]:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _png(image):
    buffer = io.BytesIO()
    image.resize((SIZE, SIZE), Image.Resampling.LANCZOS).save(buffer, "PNG")
    return buffer.getvalue()


def _centred(draw, box, text, font, fill):
    left, top, right, bottom = box
    width = draw.textlength(text, font=font)
    draw.text(((left + right - width) / 2, top), text, font=font, fill=fill)


def _wrapped(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


@lru_cache(maxsize=64)
def product_photo(brand, name, colour, form):
    """A tub (powders) or a bottle (everything else) with a label in the brand's colour, on a soft backdrop."""
    s = SIZE * SCALE
    image = Image.new("RGB", (s, s), "#eef3f0")
    draw = ImageDraw.Draw(image)
    draw.ellipse((s * 0.16, s * 0.82, s * 0.84, s * 0.92), fill="#d5ded9")  # shadow
    tub = form == "powder"
    if tub:
        body = (s * 0.2, s * 0.3, s * 0.8, s * 0.87)
        draw.rounded_rectangle(
            (s * 0.18, s * 0.22, s * 0.82, s * 0.33), radius=s * 0.03, fill="#ffffff", outline="#c9d3ce", width=6
        )
    else:
        body = (s * 0.28, s * 0.28, s * 0.72, s * 0.87)
        draw.rounded_rectangle(
            (s * 0.36, s * 0.16, s * 0.64, s * 0.3), radius=s * 0.02, fill="#ffffff", outline="#c9d3ce", width=6
        )
    draw.rounded_rectangle(body, radius=s * 0.06, fill="#ffffff", outline="#c9d3ce", width=6)
    left, top, right, bottom = body
    label = (left + s * 0.02, top + (bottom - top) * 0.22, right - s * 0.02, bottom - (bottom - top) * 0.12)
    draw.rectangle(label, fill=colour)
    draw.rectangle((label[0], label[3] - s * 0.05, label[2], label[3]), fill="#ffffff")
    inner = label[2] - label[0] - s * 0.06
    brand_font = _font(int(s * 0.038), bold=True)
    while draw.textlength(brand.upper(), font=brand_font) > inner and brand_font.size > 10:
        brand_font = _font(brand_font.size - 4, bold=True)
    _centred(draw, (label[0], label[1] + s * 0.035, label[2], 0), brand.upper(), brand_font, "#ffffff")
    font = _font(int(s * 0.05 if tub else s * 0.042), bold=True)
    y = label[1] + s * 0.1
    for line in _wrapped(draw, name, font, inner)[:3]:
        _centred(draw, (label[0], y, label[2], 0), line, font, "#ffffff")
        y += font.size * 1.2
    _centred(
        draw,
        (label[0], label[3] - s * 0.045, label[2], 0),
        "DEMO · NOT A REAL PRODUCT",
        _font(int(s * 0.022)),
        "#55615b",
    )
    return _png(image)


@lru_cache(maxsize=8)
def reviewer_portrait(skin, hair, shirt, backdrop):
    """A flat, friendly head-and-shoulders drawing; not a photo of anyone."""
    s = SIZE * SCALE
    image = Image.new("RGB", (s, s), backdrop)
    draw = ImageDraw.Draw(image)
    draw.ellipse((s * 0.12, s * 0.68, s * 0.88, s * 1.35), fill=shirt)  # shoulders
    draw.rectangle((s * 0.43, s * 0.55, s * 0.57, s * 0.72), fill=skin)  # neck
    draw.ellipse((s * 0.27, s * 0.14, s * 0.73, s * 0.5), fill=hair)  # hair behind
    draw.ellipse((s * 0.31, s * 0.2, s * 0.69, s * 0.64), fill=skin)  # face
    draw.chord((s * 0.29, s * 0.12, s * 0.71, s * 0.46), 180, 360, fill=hair)  # fringe
    for x in (0.42, 0.58):
        draw.ellipse((s * (x - 0.022), s * 0.39, s * (x + 0.022), s * 0.432), fill="#2b2b2b")
    draw.arc((s * 0.42, s * 0.45, s * 0.58, s * 0.56), 20, 160, fill="#7a3b2e", width=int(s * 0.012))
    draw.polygon([(s * 0.44, s * 0.72), (s * 0.5, s * 0.8), (s * 0.56, s * 0.72)], fill="#ffffff")  # collar
    return _png(image)
