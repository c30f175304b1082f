"""A chapter's body as the templates render it: blocks, with runs of notes, references and questions together."""

from urllib.parse import urlsplit

# Blocks of these types that follow one another make one list on the page.
GROUPED = {"note": "notes", "bibliography_entry": "bibliography", "interview": "interview"}

IMAGE_TYPES = {
    "webp": "image/webp",
    "avif": "image/avif",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def body_sections(chapter):
    """The body's blocks in order, consecutive notes, bibliography entries and interview turns grouped.

    Each section is ``{"type": ..., "blocks": [...], "lang": ...}``; a group's
    ``lang`` is set when all its blocks are still in the same source language.
    """
    sections = []
    for block in chapter.get("body", []):
        group = GROUPED.get(block.get("type"))
        previous = sections[-1] if sections else None
        if group and previous and previous["type"] == group:
            previous["blocks"].append(block)
            continue
        sections.append({"type": group or block.get("type"), "blocks": [block]})
    for section in sections:
        languages = {block.get("lang") for block in section["blocks"]}
        section["lang"] = languages.pop() if len(languages) == 1 else None
    return sections


def image_type(url):
    extension = urlsplit(url).path.rsplit(".", 1)[-1].lower()
    return IMAGE_TYPES.get(extension, "")


def image_sources(image):
    """An image's renditions by format: the fallback ``src`` and a ``srcset`` per media type.

    Returns ``{"src", "width", "height", "srcset", "sources": [{"type", "srcset"}]}``,
    the ``sources`` (WebP, AVIF) for a ``<picture>``, and the JPEG/PNG set for its ``<img>``.
    """
    if not image:
        return None
    by_type = {}
    for rendition in (image.get("renditions") or {}).values():
        url = rendition.get("url")
        if not url:
            continue
        by_type.setdefault(image_type(url), {})[rendition["width"]] = rendition
    fallback_type = next((kind for kind in ("image/jpeg", "image/png", "") if kind in by_type), None)
    if fallback_type is None and by_type:
        fallback_type = next(iter(by_type))
    fallback = sorted(by_type.pop(fallback_type, {}).values(), key=lambda rendition: rendition["width"])
    if not fallback:
        return None
    # The middle size loads where srcset is not understood; the set lets the browser choose.
    middle = fallback[len(fallback) // 2]
    return {
        "src": middle["url"],
        "width": middle["width"],
        "height": middle["height"],
        "srcset": _srcset(fallback),
        "sources": [
            {
                "type": kind,
                "srcset": _srcset(sorted(renditions.values(), key=lambda rendition: rendition["width"])),
            }
            for kind, renditions in by_type.items()
            if kind
        ],
    }


def _srcset(renditions):
    return ", ".join(f"{rendition['url']} {rendition['width']}w" for rendition in renditions)
