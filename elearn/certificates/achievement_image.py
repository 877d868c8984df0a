"""The image of an achievement: a rosette drawn once per kind (a PNG, as Open Badges displayers
expect), in the kind's colour. No text on it, so it suits every language."""

import io
from functools import lru_cache

from .models import CertificateKind

SIZE = 256
_COLOURS = {
    CertificateKind.PARTICIPATION: (31, 94, 140),
    CertificateKind.DIPLOMA: (122, 31, 61),
    CertificateKind.HACKATHON_PARTICIPATION: (30, 110, 80),
    CertificateKind.HACKATHON_AWARD: (176, 128, 18),
    CertificateKind.SPEAKER: (84, 62, 140),
    CertificateKind.INSTRUCTOR: (60, 80, 96),
}


@lru_cache(maxsize=len(_COLOURS))
def badge_png(kind: CertificateKind) -> bytes:
    from PIL import Image, ImageDraw  # here, not at the top: drawn once per kind, if ever

    colour = _COLOURS[CertificateKind(kind)]
    light = tuple(min(255, c + 90) for c in colour)
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    # Two ribbon tails below the medal.
    draw.polygon([(84, 150), (124, 150), (104, 250), (88, 232), (66, 244)], fill=colour)
    draw.polygon([(132, 150), (172, 150), (190, 244), (168, 232), (152, 250)], fill=colour)
    # The medal: a scalloped edge, a light ring and the kind's colour inside.
    centre, radius = (128, 104), 96
    for step in range(24):
        angle_box = [centre[0] - radius, centre[1] - radius, centre[0] + radius,
                     centre[1] + radius]
        draw.pieslice(angle_box, step * 15, step * 15 + 9, fill=colour)
    draw.ellipse([centre[0] - 86, centre[1] - 86, centre[0] + 86, centre[1] + 86], fill=colour)
    draw.ellipse([centre[0] - 70, centre[1] - 70, centre[0] + 70, centre[1] + 70], fill=light)
    draw.ellipse([centre[0] - 58, centre[1] - 58, centre[0] + 58, centre[1] + 58], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
