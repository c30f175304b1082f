"""Hand-written printable editions, shaped as ``editions.content.edition_html`` writes them.

Cover, title page, colophon, a ``nav`` table of contents linking to ``#ids``, parts and
chapters, notes as ``aside.footnote`` right after the paragraph that calls them, an image
served by the printable's own fetcher, and passages in another language, in French,
English, Arabic, Chinese and Russian.
"""

import io
from html import escape

from PIL import Image

from editions.formats import Printable

TEXTS = {
    "fr": {
        "dir": "ltr",
        "title": "Intelligence artificielle et création",
        "subtitle": "Enjeux et pratiques",
        "contents": "Sommaire",
        "colophon": "Édité par la Ville de Cannes. Licence CC BY-NC-ND 4.0. Dépôt légal : décembre 2026.",
        "parts": ["Première partie : l’évolution des pratiques", "Deuxième partie : la diffusion des œuvres"],
        "chapters": [
            "Écrire avec la machine",
            "Le cinéma à l’épreuve des algorithmes",
            "Musique : œuvres, droits et publics",
        ],
        "paragraph": (
            "Les créateurs s’interrogent : « Qu’apporte l’outil à l’œuvre ? » Ce chapitre "
            "décrit des pratiques très diverses — du scénario à la partition — et leurs "
            "effets sur le public, à Cannes, à Łódź ou à Québec ; façade, cœur, Ægée, naïf, "
            "ÉTÉ, Œuvre, ça, où, Noël, 12 % et 3 000 €."
        ),
        "note": "Voir l’entretien réalisé à Cannes en février 2026, p. 12–14.",
        "caption": "Une salle de projection à Cannes.",
        "credit": "Photo : Ville de Cannes",
    },
    "en": {
        "dir": "ltr",
        "title": "Artificial Intelligence and Creation",
        "subtitle": "Issues and practices",
        "contents": "Contents",
        "colophon": "Published by the City of Cannes. Licence CC BY-NC-ND 4.0. First edition, December 2026.",
        "parts": ["Part one: how practices change", "Part two: how works circulate"],
        "chapters": ["Writing with the machine", "Cinema put to the test", "Music, rights and audiences"],
        "paragraph": (
            "Creators ask: “What does the tool bring to the work?” This chapter describes "
            "very different practices — from screenplay to score — and their effects on "
            "audiences, in Cannes, Kraków or Québec; it’s a 50% shift, isn’t it? £3,000 & $4."
        ),
        "note": "See the interview recorded in Cannes in February 2026, pp. 12–14.",
        "caption": "A screening room in Cannes.",
        "credit": "Photo: City of Cannes",
    },
    "ar": {
        "dir": "rtl",
        "title": "الذكاء الاصطناعي والإبداع",
        "subtitle": "رهانات وممارسات",
        "contents": "المحتويات",
        "colophon": "نشرته مدينة كان. الترخيص: المشاع الإبداعي. الطبعة الأولى، ديسمبر ٢٠٢٦.",
        "parts": ["الجزء الأول: تطور الممارسات الإبداعية", "الجزء الثاني: تداول الأعمال الثقافية"],
        "chapters": ["الكتابة مع الآلة", "السينما في مواجهة الخوارزميات", "الموسيقى والحقوق والجمهور"],
        "paragraph": (
            "يتساءل المبدعون: «ماذا تضيف الأداة إلى العمل الفني؟» يصف هذا الفصل ممارسات "
            "متنوعة جدًا، من كتابة السيناريو إلى التأليف الموسيقي، وأثرها على الجمهور في "
            "مدن الشبكة؛ لا إله إلا الله، وفي عام ٢٠٢٥ بلغت النسبة ٣٠٪."
        ),
        "note": "انظر المقابلة التي أجريت في كان في فبراير ٢٠٢٦، الصفحات ١٢–١٤.",
        "caption": "قاعة عرض في مدينة كان.",
        "credit": "صورة: مدينة كان",
    },
    "zh": {
        "dir": "ltr",
        "title": "人工智能与创作",
        "subtitle": "问题与实践",
        "contents": "目录",
        "colophon": "戛纳市出版。许可协议：知识共享。二〇二六年十二月第一版。",
        "parts": ["第一部分：创作实践的演变", "第二部分：文化作品的传播"],
        "chapters": ["与机器一起写作", "算法考验下的电影", "音乐、权利与公众"],
        "paragraph": (
            "创作者们在思考：“工具给作品带来了什么？”本章描述了从剧本到乐谱的多种实践，"
            "以及它们对公众的影响。联合国教科文组织创意城市网络的十个城市参与了这项研究，"
            "涵盖电影、文学、音乐和数字艺术等领域；二〇二五年，比例达到百分之三十。"
        ),
        "note": "参见二〇二六年二月在戛纳进行的访谈，第12–14页。",
        "caption": "戛纳的一间放映厅。",
        "credit": "摄影：戛纳市",
    },
    "ru": {
        "dir": "ltr",
        "title": "Искусственный интеллект и творчество",
        "subtitle": "Проблемы и практики",
        "contents": "Содержание",
        "colophon": "Издано городом Канны. Лицензия CC BY-NC-ND 4.0. Первое издание, декабрь 2026 г.",
        "parts": ["Часть первая: эволюция практик", "Часть вторая: распространение произведений"],
        "chapters": ["Писать вместе с машиной", "Кино перед лицом алгоритмов", "Музыка, права и публика"],
        "paragraph": (
            "Творцы спрашивают: «Что инструмент даёт произведению?» В этой главе описаны "
            "очень разные практики — от сценария до партитуры — и их влияние на публику "
            "в десяти городах сети; ёжик, объём, щедрость, Эйзенштейн, № 5, 30 %."
        ),
        "note": "См. интервью, записанное в Каннах в феврале 2026 года, с. 12–14.",
        "caption": "Кинозал в Каннах.",
        "credit": "Фото: город Канны",
    },
}

# A passage in another language inside each edition (a quote kept in its original).
OTHER = {"fr": "ar", "en": "zh", "ar": "fr", "zh": "ru", "ru": "en"}


def png(width=600, height=400, colour=(40, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def image_fetcher(images: dict[str, bytes]):
    def fetch(url):
        key = url.removeprefix("edition-image:")
        if key not in images:
            raise FileNotFoundError(url)
        return {"string": images[key], "mime_type": "image/png"}

    return fetch


def edition_html(lang: str, chapters: int | None = None, paragraphs: int = 6, notes: bool = True) -> str:
    """The whole printable document of a test edition in ``lang``."""
    t = TEXTS[lang]
    other = OTHER[lang]
    o = TEXTS[other]
    titles = t["chapters"]
    count = chapters or len(titles)
    toc = []
    body = []
    per_part = max(1, (count + 1) // len(t["parts"]))
    note_number = 0
    for index in range(count):
        part_index = index // per_part
        if index % per_part == 0 and part_index < len(t["parts"]):
            part_title = escape(t["parts"][part_index])
            part_id = f"part-{part_index + 1}"
            toc.append(f'<li><a href="#{part_id}">{part_title}</a></li>')
            body.append(
                f'<section class="part" role="doc-part" id="{part_id}"><h1>{part_title}</h1></section>'
            )
        chapter_id = f"chapter-{index + 1}"
        title = escape(titles[index % len(titles)] + (f" {index + 1}" if count > len(titles) else ""))
        toc.append(f'<li><a href="#{chapter_id}">{title}</a></li>')
        blocks = [
            f'<section class="chapter" role="doc-chapter" id="{chapter_id}" aria-labelledby="{chapter_id}-title">',
            f'<h1 id="{chapter_id}-title">{title}</h1>',
            f'<p class="byline">{escape(t["credit"])}</p>',
        ]
        for p in range(paragraphs):
            if notes and p in (1, 4):
                note_number += 1
                note_id = f"note-{note_number}"
                blocks.append(
                    f'<p id="{note_id}-ref-p">{escape(t["paragraph"])}<a id="{note_id}-ref" href="#{note_id}"'
                    f' role="doc-noteref">{note_number}</a></p>'
                )
                blocks.append(
                    f'<aside class="footnote" role="doc-footnote" id="{note_id}"><p>'
                    f'<a href="#{note_id}-ref" role="doc-backlink">{note_number}</a> {escape(t["note"])}</p></aside>'
                )
            elif p == 2:
                blocks.append(f"<h2>{escape(t['subtitle'])}</h2>")
                blocks.append(
                    f'<blockquote lang="{other}" dir="{o["dir"]}"><p>{escape(o["paragraph"])}</p>'
                    f"<footer>{escape(o['credit'])}</footer></blockquote>"
                )
            elif p == 3 and index == 0:
                blocks.append(
                    f'<figure><img src="edition-image:{index + 1}" alt="{escape(t["caption"])}">'
                    f'<figcaption>{escape(t["caption"])} <span class="credit">{escape(t["credit"])}</span>'
                    "</figcaption></figure>"
                )
            else:
                blocks.append(f"<p>{escape(t['paragraph'])}</p>")
        blocks.append("</section>")
        body.append("\n".join(blocks))
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="{t["dir"]}">
<head>
<meta charset="utf-8">
<title>{escape(t["title"])}</title>
<meta name="author" content="{escape(t["credit"])}">
<meta name="dcterms.created" content="2026-12-01T00:00:00Z">
<meta name="dcterms.modified" content="2026-12-01T00:00:00Z">
</head>
<body>
<section id="cover" class="cover"><img class="cover-image" src="edition-image:cover" alt="{escape(t["title"])}" role="doc-cover"></section>
<section class="title-page" role="doc-titlepage"><h1>{escape(t["title"])}</h1>
<p class="subtitle">{escape(t["subtitle"])}</p></section>
<section id="colophon" class="colophon" role="doc-colophon" aria-labelledby="colophon-title">
<h1 id="colophon-title">Colophon</h1><dl class="colophon"><dt>©</dt><dd>{escape(t["colophon"])}</dd></dl></section>
<nav class="toc" role="doc-toc" aria-labelledby="toc-title"><h2 id="toc-title">{escape(t["contents"])}</h2>
<ol>{"".join(toc)}</ol></nav>
{"".join(body)}
</body>
</html>"""


def printable(lang: str, **kwargs) -> Printable:
    images = {"cover": png(780, 1170, (150, 40, 50)), "1": png()}
    return Printable(
        html=edition_html(lang, **kwargs), url_fetcher=image_fetcher(images), complete=True, warnings=()
    )
