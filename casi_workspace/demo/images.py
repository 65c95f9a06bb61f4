"""Illustrations for the demo, drawn with Pillow (nothing downloaded): abstract compositions and logos.

Each picture derives from its seed alone (a random generator seeded by it), so that a seed draws the same
picture every time. They are illustrations, not photographs: gradients, soft shapes, a few words.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

ILLUSTRATION_SIZE = (1200, 675)
LOGO_SIZE = 400

# Sober palettes in the network's colours: a dark and a mid tone for the background, then accents.
PALETTES: list[tuple[str, ...]] = [
    ("#083f54", "#0b5c7a", "#f2a541", "#f6e7cb", "#5fa8a0"),
    ("#2b2d42", "#3d5a80", "#ee6c4d", "#e0fbfc", "#98c1d9"),
    ("#1f4e3d", "#2f6b2f", "#e9c46a", "#f4f1de", "#81b29a"),
    ("#4a1942", "#893168", "#f4a259", "#fbeee0", "#c98bb9"),
    ("#22333b", "#0a9396", "#ee9b00", "#e9d8a6", "#94d2bd"),
    ("#3c1518", "#8a3b12", "#f2c14e", "#f7ede2", "#d9a679"),
]
LOGO_COLOURS = ["#0b5c7a", "#8a3b12", "#2f6b2f", "#6b2f6b", "#7a5c0b", "#2f4f6b", "#0a6e6e", "#9a3142"]
STYLES = ("hills", "circles", "sun")


def _rng(seed: str) -> random.Random:
    return random.Random(int(hashlib.sha256(seed.encode()).hexdigest()[:12], 16))  # noqa: S311 -- demo pictures


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A bold sans-serif where the system has one (DejaVu on Debian), else Pillow's own scalable font."""
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def _gradient(size: tuple[int, int], start: str, end: str, rng: random.Random) -> Image.Image:
    """A diagonal gradient from `start` to `end`, its direction chosen by `rng`."""
    vertical = Image.linear_gradient("L").resize(size)
    horizontal = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    mask = ImageChops.add(vertical, horizontal, scale=2.0)
    mask = mask.transpose(rng.choice([Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM]))
    return Image.composite(Image.new("RGB", size, _rgb(end)), Image.new("RGB", size, _rgb(start)), mask)


def _layer(size: tuple[int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    return layer, ImageDraw.Draw(layer)


def _hills(base: Image.Image, palette: tuple[str, ...], rng: random.Random) -> Image.Image:
    width, height = base.size
    for number, colour in enumerate([palette[4], palette[2], palette[3], palette[1]]):
        layer, draw = _layer(base.size)
        level = height * (0.45 + 0.13 * number)
        amplitude, frequency, phase = rng.uniform(20, 60), rng.uniform(1.0, 2.5), rng.uniform(0, 2 * math.pi)
        points = [
            (x, level + amplitude * math.sin(frequency * 2 * math.pi * x / width + phase))
            for x in range(0, width + 40, 40)
        ]
        draw.polygon([*points, (width, height), (0, height)], fill=(*_rgb(colour), 150 + 25 * number))
        base = Image.alpha_composite(base, layer)
    return base


def _circles(base: Image.Image, palette: tuple[str, ...], rng: random.Random) -> Image.Image:
    width, height = base.size
    for _ in range(rng.randint(7, 11)):
        layer, draw = _layer(base.size)
        radius = rng.uniform(0.08, 0.32) * height
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        colour = _rgb(rng.choice(palette[2:]))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, rng.randint(70, 170)))
        if rng.random() < 0.3:
            layer = layer.filter(ImageFilter.GaussianBlur(radius=12))
        base = Image.alpha_composite(base, layer)
    return base


def _sun(base: Image.Image, palette: tuple[str, ...], rng: random.Random) -> Image.Image:
    width, height = base.size
    layer, draw = _layer(base.size)
    x, y, radius = rng.uniform(0.55, 0.8) * width, rng.uniform(0.25, 0.4) * height, 0.22 * height
    for ring in range(4, 0, -1):  # a halo, then the sun
        grow = radius * (1 + 0.35 * ring)
        draw.ellipse((x - grow, y - grow, x + grow, y + grow), fill=(*_rgb(palette[3]), 22))
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*_rgb(palette[2]), 235))
    base = Image.alpha_composite(base, layer.filter(ImageFilter.GaussianBlur(radius=2)))
    return _hills(base, palette, rng)


def _caption(image: Image.Image, words: str) -> Image.Image:
    """`words` in white on a dark band at the bottom left: readable on any background."""
    if not words:
        return image
    width, height = image.size
    font = _font(max(24, height // 12))
    layer, draw = _layer(image.size)
    left, top, right, bottom = draw.textbbox((0, 0), words, font=font)
    margin, padding = width // 24, height // 30
    box = (
        margin,
        height - margin - (bottom - top) - 2 * padding,
        margin + (right - left) + 2 * padding,
        height - margin,
    )
    draw.rounded_rectangle(box, radius=padding, fill=(10, 20, 30, 170))
    draw.text((box[0] + padding - left, box[1] + padding - top), words, font=font, fill=(255, 255, 255, 255))
    return Image.alpha_composite(image, layer)


def illustration(seed: str, words: str = "", *, size: tuple[int, int] = ILLUSTRATION_SIZE) -> Image.Image:
    """An abstract landscape, cluster of circles or sunrise in one of the palettes, with `words` on it."""
    rng = _rng(seed)
    palette = rng.choice(PALETTES)
    base = _gradient(size, palette[0], palette[1], rng).convert("RGBA")
    style = rng.choice(STYLES)
    base = {"hills": _hills, "circles": _circles, "sun": _sun}[style](base, palette, rng)
    return _caption(base, words).convert("RGB")


def illustration_jpeg(seed: str, words: str = "", *, size: tuple[int, int] = ILLUSTRATION_SIZE) -> bytes:
    buffer = io.BytesIO()
    illustration(seed, words, size=size).save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def initials(name: str) -> str:
    """Up to three initials of the significant words: "Brest Sahel Solidarité" -> "BSS"."""
    small = {"de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "pour", "d", "l"}
    words = [word for word in name.replace("'", " ").replace("’", " ").split() if word[:1].isalpha()]
    significant = [word for word in words if word.lower() not in small] or words
    return "".join(word[0] for word in significant)[:3].upper() or "?"


def logo_png(name: str, seed: str, *, size: int = LOGO_SIZE) -> bytes:
    """A square logo: a coloured ground, a ring and an arc, the initials of `name` in white."""
    rng = _rng(f"logo:{seed}")
    colour = _rgb(rng.choice(LOGO_COLOURS))
    image = Image.new("RGBA", (size, size), (*colour, 255))
    layer, draw = _layer(image.size)
    inset = size * 0.12
    draw.ellipse((inset, inset, size - inset, size - inset), outline=(255, 255, 255, 110), width=max(2, size // 40))
    start = rng.randrange(0, 360, 15)
    draw.arc(
        (inset, inset, size - inset, size - inset),
        start,
        start + rng.choice([70, 100, 130]),
        fill=(255, 255, 255, 255),
        width=max(4, size // 22),
    )
    image = Image.alpha_composite(image, layer)
    text = initials(name)
    font = _font(int(size * (0.30 if len(text) < 3 else 0.24)))
    ImageDraw.Draw(image).text((size / 2, size / 2), text, font=font, fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
