#!/usr/bin/env python3
"""Draws the demo project's images (examples/media/): product illustrations, home-page
banners, category covers, badges and locale flags.

Every picture is drawn from simple shapes, so the demo ships no third-party artwork. Run it
again after changing a drawing; the output is deterministic.

    pip install pillow
    python3 scripts/demo-media.py            # writes examples/media/*.png

Each file is a palette PNG well under 60 KB.
"""

from __future__ import annotations

import math
import pathlib
import sys

from PIL import Image, ImageDraw, ImageFilter

OUT = pathlib.Path(__file__).resolve().parent.parent / "examples" / "media"
SCALE = 2  # drawn at twice the size, then scaled down: smooth edges without antialiasing
MAX_BYTES = 60 * 1024


def hex_rgb(h: str) -> tuple[int, int, int]:
    h = h.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def shade(c: str, f: float) -> tuple[int, int, int]:
    r, g, b = hex_rgb(c)
    if f >= 1:
        return tuple(int(v + (255 - v) * (f - 1)) for v in (r, g, b))  # type: ignore[return-value]
    return tuple(int(v * f) for v in (r, g, b))  # type: ignore[return-value]


def canvas(w: int, h: int, top: str, bottom: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A vertical gradient background."""
    w, h = w * SCALE, h * SCALE
    img = Image.new("RGB", (w, h))
    t, b = hex_rgb(top), hex_rgb(bottom)
    d = ImageDraw.Draw(img)
    for y in range(h):
        k = y / max(1, h - 1)
        d.line([(0, y), (w, y)], fill=tuple(int(t[i] + (b[i] - t[i]) * k) for i in range(3)))
    return img, d


def shadow(img: Image.Image, box: tuple[float, float, float, float]) -> None:
    """A soft oval shadow under an object."""
    layer = Image.new("L", img.size, 0)
    ImageDraw.Draw(layer).ellipse([v * SCALE for v in box], fill=90)
    layer = layer.filter(ImageFilter.GaussianBlur(12 * SCALE))
    dark = Image.new("RGB", img.size, (40, 30, 30))
    img.paste(dark, (0, 0), layer)


def S(*v: float) -> list[float]:
    return [x * SCALE for x in v]


def save(img: Image.Image, name: str, size: tuple[int, int]) -> None:
    img = img.resize(size, Image.LANCZOS).quantize(colors=96, method=Image.Quantize.MEDIANCUT)
    path = OUT / name
    img.save(path, optimize=True)
    n = path.stat().st_size
    if n > MAX_BYTES:
        sys.exit(f"{name} is {n} bytes, over {MAX_BYTES}")
    print(f"{name:28} {n:6} bytes")


# ---------------------------------------------------------------------------------------------
# Products (480 x 480)

def bag(d, img, body, strap="#3b2a20", wide=1.0, handle=True, flap=True):
    shadow(img, (110, 380, 370, 420))
    x0, x1 = 240 - 130 * wide, 240 + 130 * wide
    if handle:
        d.arc(S(170, 90, 310, 250), 180, 360, fill=strap, width=14 * SCALE)
    d.rounded_rectangle(S(x0, 170, x1, 395), radius=28 * SCALE, fill=body)
    d.rounded_rectangle(S(x0, 170, x1, 200), radius=14 * SCALE, fill=shade(body, 0.85))
    if flap:
        d.polygon(S(x0 + 6, 185, x1 - 6, 185, 240, 290), fill=shade(body, 0.9))
        d.ellipse(S(228, 270, 252, 294), fill="#d9b36c")
    d.line(S(x0 + 18, 375, x1 - 18, 375), fill=shade(body, 1.25), width=3 * SCALE)


def tote(d, img, body):
    shadow(img, (120, 385, 360, 425))
    d.line(S(190, 175, 200, 95, 250, 95, 260, 175), fill=shade(body, 0.6), width=10 * SCALE, joint="curve")
    d.polygon(S(130, 170, 350, 170, 330, 400, 150, 400), fill=body)
    d.rectangle(S(130, 170, 350, 190), fill=shade(body, 0.85))
    d.rectangle(S(185, 260, 295, 320), outline=shade(body, 0.7), width=4 * SCALE)


def duffel(d, img, body):
    shadow(img, (70, 360, 410, 410))
    d.arc(S(170, 120, 310, 260), 180, 360, fill="#2f2a26", width=12 * SCALE)
    d.rounded_rectangle(S(70, 190, 410, 375), radius=90 * SCALE, fill=body)
    d.line(S(110, 210, 370, 210), fill=shade(body, 1.3), width=4 * SCALE)
    d.rectangle(S(80, 270, 400, 300), fill=shade(body, 0.8))
    d.ellipse(S(60, 250, 110, 330), fill=shade(body, 0.75))
    d.ellipse(S(370, 250, 420, 330), fill=shade(body, 0.75))


def crossbody(d, img, body):
    shadow(img, (140, 380, 340, 415))
    d.line(S(160, 250, 240, 60, 320, 250), fill="#3a2d27", width=8 * SCALE, joint="curve")
    d.rounded_rectangle(S(140, 230, 340, 395), radius=36 * SCALE, fill=body)
    d.pieslice(S(140, 170, 340, 330), 0, 180, fill=shade(body, 0.88))
    d.ellipse(S(230, 300, 250, 320), fill="#e2c27d")


def wallet(d, img, body):
    shadow(img, (110, 360, 370, 400))
    d.rounded_rectangle(S(100, 160, 380, 360), radius=22 * SCALE, fill=body)
    d.rounded_rectangle(S(100, 160, 380, 250), radius=22 * SCALE, fill=shade(body, 0.85))
    d.rounded_rectangle(S(310, 225, 380, 285), radius=14 * SCALE, fill=shade(body, 0.7))
    d.ellipse(S(330, 245, 350, 265), fill="#d9b36c")
    d.line(S(118, 340, 362, 340), fill=shade(body, 1.3), width=3 * SCALE)


def cardholder(d, img, body):
    shadow(img, (140, 350, 340, 390))
    d.rounded_rectangle(S(150, 170, 330, 360), radius=18 * SCALE, fill=body)
    d.rectangle(S(170, 140, 310, 200), fill="#f4efe6")
    d.rectangle(S(170, 150, 310, 160), fill="#5b8def")
    d.rounded_rectangle(S(150, 190, 330, 230), radius=10 * SCALE, fill=shade(body, 0.85))
    d.rounded_rectangle(S(150, 240, 330, 280), radius=10 * SCALE, fill=shade(body, 0.9))


def passport(d, img, body):
    shadow(img, (140, 380, 340, 415))
    d.rounded_rectangle(S(150, 100, 330, 390), radius=16 * SCALE, fill=body)
    d.ellipse(S(200, 180, 280, 260), outline="#e5c77f", width=5 * SCALE)
    d.line(S(240, 180, 240, 260), fill="#e5c77f", width=3 * SCALE)
    d.line(S(200, 220, 280, 220), fill="#e5c77f", width=3 * SCALE)
    d.rectangle(S(190, 300, 290, 310), fill="#e5c77f")


def belt(d, img, body):
    shadow(img, (80, 350, 400, 400))
    d.ellipse(S(90, 140, 390, 370), outline=body, width=40 * SCALE)
    d.rounded_rectangle(S(210, 320, 290, 390), radius=10 * SCALE, outline="#cfa85a", width=10 * SCALE)
    d.line(S(250, 330, 250, 380), fill="#cfa85a", width=6 * SCALE)


def scarf(d, img, body):
    shadow(img, (120, 390, 360, 425))
    pts = []
    for i in range(0, 361, 6):
        x = 120 + i * 0.67
        pts.append((x, 150 + 40 * math.sin(i / 40)))
    for i in range(360, -1, -6):
        x = 120 + i * 0.67
        pts.append((x, 260 + 40 * math.sin(i / 40)))
    d.polygon([(x * SCALE, y * SCALE) for x, y in pts], fill=body)
    for k in range(4):
        y0 = 175 + k * 22
        d.line([(x * SCALE, (y0 + 40 * math.sin((x - 120) / 0.67 / 40)) * SCALE) for x in range(124, 358, 4)],
               fill=shade(body, 1.35), width=3 * SCALE)
    d.polygon(S(190, 260, 230, 400, 270, 400, 250, 255), fill=shade(body, 0.85))
    for x in range(232, 270, 8):
        d.line(S(x, 400, x, 418), fill=shade(body, 0.7), width=2 * SCALE)


def keyring(d, img, body):
    shadow(img, (170, 380, 330, 410))
    d.ellipse(S(200, 80, 280, 160), outline="#b9b9c0", width=8 * SCALE)
    d.rectangle(S(234, 150, 246, 200), fill="#b9b9c0")
    d.rounded_rectangle(S(195, 195, 285, 380), radius=45 * SCALE, fill=body)
    d.ellipse(S(228, 220, 252, 244), fill=shade(body, 0.7))


def glasses_case(d, img, body):
    shadow(img, (90, 340, 390, 385))
    d.rounded_rectangle(S(90, 200, 390, 340), radius=70 * SCALE, fill=body)
    d.line(S(120, 270, 360, 270), fill=shade(body, 0.75), width=4 * SCALE)
    d.ellipse(S(140, 150, 230, 215), outline="#222", width=8 * SCALE)
    d.ellipse(S(250, 150, 340, 215), outline="#222", width=8 * SCALE)
    d.line(S(230, 180, 250, 180), fill="#222", width=6 * SCALE)


def mug(d, img, body):
    shadow(img, (140, 380, 340, 415))
    d.ellipse(S(290, 210, 380, 320), outline=body, width=18 * SCALE)
    d.rounded_rectangle(S(140, 150, 320, 395), radius=30 * SCALE, fill=body)
    d.ellipse(S(140, 135, 320, 170), fill=shade(body, 0.75))
    d.ellipse(S(150, 140, 310, 165), fill="#6b4a35")
    for k, y in enumerate((230, 270, 310)):
        d.line(S(160, y, 300, y), fill=shade(body, 1.3 - k * 0.05), width=4 * SCALE)
    for x in (195, 230, 265):
        d.arc(S(x - 10, 60, x + 10, 130), 100, 260, fill="#ffffff", width=4 * SCALE)


def blanket(d, img, body):
    shadow(img, (90, 370, 390, 415))
    d.rounded_rectangle(S(90, 170, 390, 395), radius=20 * SCALE, fill=body)
    for y in range(190, 390, 34):
        d.line(S(90, y, 390, y), fill=shade(body, 1.25), width=5 * SCALE)
    for x in range(115, 390, 34):
        d.line(S(x, 170, x, 395), fill=shade(body, 0.85), width=5 * SCALE)
    d.rounded_rectangle(S(90, 170, 390, 215), radius=20 * SCALE, fill=shade(body, 0.9))
    for x in range(96, 386, 10):
        d.line(S(x, 395, x, 412), fill=shade(body, 0.8), width=3 * SCALE)


def candle(d, img, body):
    shadow(img, (150, 385, 330, 415))
    d.rounded_rectangle(S(160, 200, 320, 400), radius=22 * SCALE, fill="#e9e4dc")
    d.rounded_rectangle(S(160, 260, 320, 350), radius=4 * SCALE, fill=body)
    d.ellipse(S(160, 185, 320, 220), fill="#f6f1e9")
    d.line(S(240, 160, 240, 200), fill="#3b2f2f", width=4 * SCALE)
    d.ellipse(S(225, 105, 255, 165), fill="#ffb347")
    d.ellipse(S(233, 125, 247, 160), fill="#fff1b8")


def cushion(d, img, body):
    shadow(img, (110, 370, 370, 410))
    d.rounded_rectangle(S(110, 130, 370, 390), radius=60 * SCALE, fill=body)
    d.rounded_rectangle(S(150, 170, 330, 350), radius=40 * SCALE, outline=shade(body, 1.25), width=5 * SCALE)
    d.ellipse(S(228, 248, 252, 272), fill=shade(body, 0.75))


def gift(d, img, body):
    shadow(img, (120, 385, 360, 420))
    d.rectangle(S(130, 220, 350, 400), fill=body)
    d.rectangle(S(115, 180, 365, 230), fill=shade(body, 0.9))
    d.rectangle(S(225, 180, 255, 400), fill="#f3d36b")
    d.ellipse(S(170, 120, 240, 185), outline="#f3d36b", width=12 * SCALE)
    d.ellipse(S(240, 120, 310, 185), outline="#f3d36b", width=12 * SCALE)


def truck(d, img, body):
    shadow(img, (70, 360, 420, 400))
    d.rounded_rectangle(S(60, 170, 300, 350), radius=14 * SCALE, fill=body)
    d.polygon(S(300, 220, 380, 220, 420, 280, 420, 350, 300, 350), fill=shade(body, 0.85))
    d.polygon(S(315, 235, 372, 235, 400, 280, 315, 280), fill="#cfe8ff")
    for x in (120, 350):
        d.ellipse(S(x - 38, 320, x + 38, 396), fill="#2b2b2b")
        d.ellipse(S(x - 16, 342, x + 16, 374), fill="#bbbbbb")
    d.line(S(90, 220, 260, 220), fill=shade(body, 1.3), width=8 * SCALE)
    d.line(S(90, 250, 220, 250), fill=shade(body, 1.3), width=8 * SCALE)


PRODUCTS = {
    "bag-15": (bag, "#8b4a2b", ("#f6e7d8", "#e9cdb3"), {}),
    "wallet-16": (wallet, "#2f2b2b", ("#eceff3", "#cfd6df"), {}),
    "belt-17": (belt, "#7a4528", ("#f5ead9", "#e3cfae"), {}),
    "scarf-18": (scarf, "#3d6fb6", ("#e7f0fb", "#c7daf2"), {}),
    "gift-19": (gift, "#c8423b", ("#fdeceb", "#f4c9c5"), {}),
    "bag-20": (bag, "#a0522d", ("#eef3ea", "#d4e2cc"), {"wide": 1.1}),
    "tote-21": (tote, "#d8c39a", ("#f4f1ea", "#e0d8c6"), {}),
    "duffel-22": (duffel, "#5a4634", ("#eef0ea", "#d7dccd"), {}),
    "crossbody-23": (crossbody, "#b5543c", ("#fbece4", "#efcdbd"), {}),
    "cardholder-24": (cardholder, "#1f4e5f", ("#e8f3f5", "#c6e0e5"), {}),
    "passport-25": (passport, "#14365d", ("#eaf0f8", "#c9d7ea"), {}),
    "keyring-26": (keyring, "#c0843d", ("#f9f0e2", "#eed8b5"), {}),
    "glasses-27": (glasses_case, "#6e3b5a", ("#f6ebf2", "#e6cddd"), {}),
    "mug-28": (mug, "#4e8f7a", ("#eaf5f1", "#c9e6db"), {}),
    "blanket-29": (blanket, "#b9835a", ("#f7efe6", "#e9d5c0"), {}),
    "candle-30": (candle, "#8a9a5b", ("#f3f5ea", "#dde3c6"), {}),
    "cushion-31": (cushion, "#d98f6b", ("#fbefe8", "#f1d2c2"), {}),
    "delivery-83": (truck, "#3a7bd5", ("#eaf2fd", "#c9dcf7"), {}),
}

# Second views: the same object on another background.
MORE = {
    "bag-15-b": ("bag-15", ("#efe9e2", "#d8cbbd")),
    "bag-15-c": ("bag-15", ("#e6edf0", "#c8d6dc")),
    "duffel-22-b": ("duffel-22", ("#f2ece4", "#ddd0bf")),
    "mug-28-b": ("mug-28", ("#f7f3ea", "#e5dcc7")),
}


def product(name: str, bg: tuple[str, str] | None = None) -> None:
    draw, color, default_bg, extra = PRODUCTS[name]
    top, bottom = bg or default_bg
    img, d = canvas(480, 480, top, bottom)
    draw(d, img, color, **extra)
    return img


# ---------------------------------------------------------------------------------------------
# Banners, covers, badges, flags

def banner(name: str, size: tuple[int, int], top: str, bottom: str, items: list[str]) -> None:
    w, h = size
    img, d = canvas(w, h, top, bottom)
    for k in range(6):  # soft circles
        r = (60 + 30 * k) * SCALE
        cx, cy = (w * (0.15 + 0.15 * k)) * SCALE, (h * (0.2 + 0.1 * (k % 3))) * SCALE
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=shade(top, 1.15), width=3 * SCALE)
    # small product pictures along the right side
    n = len(items)
    for i, it in enumerate(items):
        thumb = product(it)
        side = int(min(h * 0.8, w / (n + 1.5)))
        thumb = thumb.resize((side * SCALE, side * SCALE), Image.LANCZOS)
        mask = Image.new("L", thumb.size, 0)
        ImageDraw.Draw(mask).ellipse([0, 0, thumb.size[0], thumb.size[1]], fill=255)
        x = int((w - (n - i) * side * 1.05 - 10) * SCALE)
        y = int((h - side) / 2 * SCALE)
        img.paste(thumb, (x, y), mask)
    save(img, name, size)


def badge(name: str, color: str, mark: str) -> None:
    img, d = canvas(64, 64, "#ffffff", "#ffffff")
    d.ellipse(S(2, 2, 62, 62), fill=color)
    if mark == "star":
        pts = []
        for i in range(10):
            r = 24 if i % 2 == 0 else 10
            a = math.pi / 2 + i * math.pi / 5
            pts.append((32 + r * math.cos(a), 33 - r * math.sin(a)))
        d.polygon([(x * SCALE, y * SCALE) for x, y in pts], fill="#ffffff")
    elif mark == "percent":
        d.ellipse(S(16, 16, 26, 26), fill="#ffffff")
        d.ellipse(S(38, 38, 48, 48), fill="#ffffff")
        d.line(S(44, 18, 20, 46), fill="#ffffff", width=5 * SCALE)
    else:  # new: a sparkle
        d.polygon(S(32, 10, 37, 27, 54, 32, 37, 37, 32, 54, 27, 37, 10, 32, 27, 27), fill="#ffffff")
    save(img, name, (64, 64))


def flag(name: str, kind: str) -> None:
    w, h = 60, 40
    img, d = canvas(w, h, "#ffffff", "#ffffff")
    if kind == "us":
        for i in range(13):
            d.rectangle(S(0, i * h / 13, w, (i + 1) * h / 13), fill="#b22234" if i % 2 == 0 else "#ffffff")
        d.rectangle(S(0, 0, 24, 7 * h / 13), fill="#3c3b6e")
        for r in range(4):
            for c in range(5):
                x, y = 2.5 + c * 4.5, 2.5 + r * 5
                d.ellipse(S(x, y, x + 1.8, y + 1.8), fill="#ffffff")
    elif kind == "ae":
        d.rectangle(S(0, 0, w, h / 3), fill="#00732f")
        d.rectangle(S(0, h / 3, w, 2 * h / 3), fill="#ffffff")
        d.rectangle(S(0, 2 * h / 3, w, h), fill="#000000")
        d.rectangle(S(0, 0, 15, h), fill="#ff0000")
    else:  # fr
        d.rectangle(S(0, 0, w / 3, h), fill="#0055a4")
        d.rectangle(S(2 * w / 3, 0, w, h), fill="#ef4135")
    save(img, name, (w, h))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in PRODUCTS:
        save(product(name), f"{name}.png", (480, 480))
    for name, (base, bg) in MORE.items():
        save(product(base, bg), f"{name}.png", (480, 480))
    banner("banner-home.png", (1200, 300), "#e9d8fd", "#c4a7f2", ["bag-15", "wallet-16", "scarf-18", "mug-28"])
    banner("offer-best-seller.png", (600, 360), "#fde2c8", "#f7b98a", ["bag-15"])
    banner("offer-promotion.png", (600, 360), "#d9f0e3", "#9fd8b8", ["blanket-29"])
    banner("offer-day.png", (600, 360), "#fff2c2", "#f5d46e", ["crossbody-23"])
    banner("offer-new-arrivals.png", (600, 360), "#d6e8fb", "#9cc3ef", ["duffel-22", "cardholder-24"])
    banner("offer-video.png", (600, 360), "#fbd5d5", "#ef8f8f", ["candle-30"])
    banner("category-bags.png", (600, 400), "#f6e7d8", "#e2c4a6", ["bag-15", "tote-21"])
    banner("category-wallets.png", (600, 400), "#e4ebf2", "#b8c9dc", ["wallet-16", "passport-25"])
    banner("category-accessories.png", (600, 400), "#f3e6f0", "#d9bcd2", ["belt-17", "glasses-27"])
    banner("category-home.png", (600, 400), "#e7f3ee", "#b9dccd", ["mug-28", "cushion-31"])
    banner("about.png", (800, 450), "#f1ebe3", "#d9c9b4", ["bag-15", "wallet-16", "belt-17"])
    badge("badge-new.png", "#2e86de", "new")
    badge("badge-sale.png", "#e74c3c", "percent")
    badge("badge-best.png", "#f39c12", "star")
    flag("flag-en.png", "us")
    flag("flag-ar.png", "ae")
    flag("flag-fr.png", "fr")


if __name__ == "__main__":
    main()
