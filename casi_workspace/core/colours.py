"""Colours of the site's theme: `#rrggbb` values, their WCAG 2.1 contrast, and the shades the theme derives.

WCAG 2.1 AA asks 4.5:1 for text and 3:1 for the parts of controls; a brand colour is used for text and for
buttons' backgrounds under white text, so it must reach 4.5:1 against white.
"""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
TEXT_CONTRAST = 4.5


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(channel))):02x}" for channel in (red, green, blue))


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour (0 for black, 1 for white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (same luminance) to 21 (black on white), whatever the order."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, weight: float) -> str:
    """`colour` with `weight` (0 to 1) of `other` mixed in, channel by channel."""
    return _hex(*(a + (b - a) * weight for a, b in zip(_channels(colour), _channels(other), strict=True)))


def darken_until(colour: str, background: str, ratio: float = TEXT_CONTRAST) -> str:
    """`colour`, darkened by steps of 5% towards black until it reaches `ratio` against `background`."""
    shade, weight = colour.lower(), 0.0
    while contrast_ratio(shade, background) < ratio and weight < 1:
        weight = min(1.0, weight + 0.05)
        shade = mix(colour, "#000000", weight)
    return shade
