"""What the demo book says: the French source edition, as plain data.

Pages, cities and sectors carry a ``key`` that never changes; the loader derives
their translation keys from it, so a second load finds what the first one made
even after an editor renamed it. Chapter bodies are composed from sample
sentences with a generator seeded by the chapter's key, so every load builds the
same text while word counts differ from chapter to chapter.
"""

import random
from datetime import date

from django.utils.html import escape

IMAGE_COLLECTION_NAME = "Livre de démonstration"

# The title Wagtail's first migration gives the page it creates under the root.
WAGTAIL_WELCOME_PAGE_TITLE = "Welcome to your new Wagtail site!"

SAMPLE_CREDIT = "Image d’exemple générée pour la démonstration"

IMAGES = [
    {
        "key": "cover",
        "file": "01-couverture.jpg",
        "title": "Image d’exemple — couverture",
        "alt": "Image d’exemple : cercles translucides sur un dégradé bleu nuit et corail.",
    },
    {
        "key": "practices",
        "file": "02-pratiques-creatives.jpg",
        "title": "Image d’exemple — pratiques créatives",
        "alt": "Image d’exemple : bandes obliques claires sur un dégradé bleu canard et jaune.",
    },
    {
        "key": "circulation",
        "file": "03-diffusion-des-oeuvres.jpg",
        "title": "Image d’exemple — diffusion des œuvres",
        "alt": "Image d’exemple : carrés disposés en grille sur un dégradé violet et bleu ciel.",
    },
    {
        "key": "public",
        "file": "04-rapport-au-public.jpg",
        "title": "Image d’exemple — rapport au public",
        "alt": "Image d’exemple : cercles translucides sur un dégradé bordeaux et sable.",
    },
    {
        "key": "cinema",
        "file": "05-cinema.jpg",
        "title": "Image d’exemple — cinéma",
        "alt": "Image d’exemple : faisceaux obliques sur un dégradé noir et magenta.",
    },
    {
        "key": "music",
        "file": "06-musique.jpg",
        "title": "Image d’exemple — musique",
        "alt": "Image d’exemple : lignes ondulées sur un dégradé vert.",
    },
    {
        "key": "digital-arts",
        "file": "07-arts-numeriques.jpg",
        "title": "Image d’exemple — arts numériques",
        "alt": "Image d’exemple : petits carrés en grille sur un dégradé bleu nuit et turquoise.",
    },
]

SECTORS = [
    {"key": "cinema", "name": "Cinéma"},
    {"key": "litterature", "name": "Littérature"},
    {"key": "musique", "name": "Musique"},
    {"key": "arts-numeriques", "name": "Arts numériques"},
]

# Cannes directs the book; the nine other cities are sample entries: a name, a
# creative field and a country, nothing more.
CITIES = [
    {"key": "cannes", "name": "Cannes", "country": "France", "creative_field": "film"},
    {"key": "busan", "name": "Busan", "country": "République de Corée", "creative_field": "film"},
    {"key": "bradford", "name": "Bradford", "country": "Royaume-Uni", "creative_field": "film"},
    {"key": "edimbourg", "name": "Édimbourg", "country": "Royaume-Uni", "creative_field": "literature"},
    {"key": "cracovie", "name": "Cracovie", "country": "Pologne", "creative_field": "literature"},
    {"key": "bologne", "name": "Bologne", "country": "Italie", "creative_field": "music"},
    {"key": "seville", "name": "Séville", "country": "Espagne", "creative_field": "music"},
    {"key": "hamamatsu", "name": "Hamamatsu", "country": "Japon", "creative_field": "music"},
    {"key": "linz", "name": "Linz", "country": "Autriche", "creative_field": "media-arts"},
    {
        "key": "enghien-les-bains",
        "name": "Enghien-les-Bains",
        "country": "France",
        "creative_field": "media-arts",
    },
]

BOOK = {
    "key": "book",
    "slug": "intelligence-artificielle-et-creation",
    "title": "Intelligence artificielle et création",
    "subtitle": "Enjeux et pratiques",
    "summary": (
        "Résumé d’exemple. Cet ouvrage collectif réunit près de 200 pages de contributions venues de "
        "dix villes du Réseau des villes créatives de l’UNESCO. Il aborde l’évolution des pratiques "
        "créatives, les mutations des modes de diffusion des œuvres culturelles et les changements du "
        "rapport du public à la création artistique, en cinéma, en littérature, en musique et en arts "
        "numériques. Publication numérique gratuite, diffusée auprès de près de 400 villes créatives. "
        "Les textes de cette édition de démonstration sont des contenus d’exemple."
    ),
    "cover": "cover",
    "cover_credit": SAMPLE_CREDIT,
    "editorial_direction": (
        "Ville de Cannes, Ville créative de l’UNESCO pour le cinéma, membre du Réseau depuis 2022, "
        "à qui la direction éditoriale de l’ouvrage a été confiée en 2025 au sein du Réseau des "
        "villes créatives de l’UNESCO."
    ),
    "editors": "Ville de Cannes",
    "publisher": "Ville de Cannes",
    "supporters": [
        "Commission nationale française pour l’UNESCO",
        "Ministère de l’Europe et des Affaires étrangères",
    ],
    "licence": "Licence d’exemple : CC BY-NC-ND 4.0 (à confirmer)",
    "publication_date": date(2025, 12, 1),
}

CONTRIBUTOR_INDEX = {
    "key": "contributors",
    "slug": "contributeurs",
    "title": "Contributeurs et contributrices",
    "introduction": (
        "<p>Introduction d’exemple : les personnes qui ont contribué à l’ouvrage. Les biographies "
        "de cette démonstration sont des textes d’exemple.</p>"
    ),
}

THEME_INDEX = {
    "key": "themes",
    "slug": "themes",
    "title": "Thèmes",
    "introduction": "<p>Introduction d’exemple : les trois thèmes qui traversent l’ouvrage.</p>",
}

THEMES = [
    {
        "key": "practices",
        "slug": "evolution-des-pratiques-creatives",
        "title": "L’évolution des pratiques créatives",
        "description": (
            "<p>Description d’exemple : comment les outils d’intelligence artificielle entrent dans "
            "l’atelier, le studio et la salle de montage. Contenu de démonstration.</p>"
        ),
    },
    {
        "key": "circulation",
        "slug": "mutations-des-modes-de-diffusion",
        "title": "Les mutations des modes de diffusion des œuvres culturelles",
        "description": (
            "<p>Description d’exemple : comment les œuvres circulent, se traduisent et rencontrent "
            "de nouveaux publics. Contenu de démonstration.</p>"
        ),
    },
    {
        "key": "public",
        "slug": "rapport-du-public-a-la-creation",
        "title": "Les changements du rapport du public à la création artistique",
        "description": (
            "<p>Description d’exemple : ce que le public attend, découvre et questionne face aux "
            "créations assistées par la machine. Contenu de démonstration.</p>"
        ),
    },
]

REAL_PERSON_BIOGRAPHY = (
    "<p>Biographie d’exemple. Ce texte de démonstration ne dit rien de la personne ; il tient la "
    "place de la biographie publiée dans l’ouvrage.</p>"
)

# The five named contributors get at most a neutral profession; the others are
# invented for the demonstration and say so.
CONTRIBUTORS = [
    {"key": "andrea", "name": "Jean-Baptiste Andrea", "professions": "écrivain"},
    {"key": "jarre", "name": "Jean-Michel Jarre", "professions": "musicien"},
    {"key": "landi", "name": "Marco Landi", "professions": "entrepreneur"},
    {"key": "laroche-joubert", "name": "Alexia Laroche-Joubert", "professions": "productrice"},
    {"key": "nomura", "name": "Takuya Nomura", "professions": ""},
    {
        "key": "camille",
        "name": "Camille Exemple",
        "professions": "scénariste, personne fictive",
        "city": "cannes",
        "portrait": "public",
        "fictional": True,
    },
    {
        "key": "hugo",
        "name": "Hugo Fictif",
        "professions": "réalisateur, personne fictive",
        "city": "busan",
        "fictional": True,
    },
    {
        "key": "nadia",
        "name": "Nadia Modèle",
        "professions": "artiste numérique, personne fictive",
        "city": "linz",
        "portrait": "digital-arts",
        "fictional": True,
    },
    {
        "key": "tomas",
        "name": "Tomás Démo",
        "professions": "compositeur, personne fictive",
        "city": "bologne",
        "fictional": True,
    },
    {
        "key": "lina",
        "name": "Lina Spécimen",
        "professions": "autrice, traductrice, personne fictive",
        "city": "cracovie",
        "fictional": True,
    },
    {
        "key": "olek",
        "name": "Olek Prototype",
        "professions": "chercheur, personne fictive",
        "city": "enghien-les-bains",
        "fictional": True,
    },
]


def contributor_biography(contributor):
    if not contributor.get("fictional"):
        return REAL_PERSON_BIOGRAPHY
    return (
        f"<p>Biographie d’exemple. {escape(contributor['name'])} est une personne fictive inventée "
        "pour la démonstration de l’ouvrage ; ce texte ne décrit personne.</p>"
    )


def contributor_links(contributor):
    if not contributor.get("fictional"):
        return []
    return [{"label": "Site d’exemple", "url": f"https://example.org/contributeurs/{contributor['key']}"}]


# Chapter kinds decide the shape of a body: an essay, an interview or a case study.
ESSAY, INTERVIEW, CASE_STUDY = "essai", "entretien", "etude"

PARTS = [
    {
        "key": "part-1",
        "slug": "creer-avec-les-machines",
        "title": "Créer avec les machines",
        "subtitle": "Partie d’exemple",
        "introduction": (
            "<p>Introduction d’exemple : cette partie de démonstration regroupe des chapitres sur "
            "l’évolution des pratiques créatives.</p>"
        ),
        "chapters": [
            {
                "key": "chapter-1",
                "slug": "ecrire-a-lheure-des-modeles-de-langage",
                "title": "Écrire à l’heure des modèles de langage",
                "kind": INTERVIEW,
                "contributors": [("andrea", "interviewee"), ("camille", "interviewer")],
                "themes": ["practices"],
                "sectors": ["litterature"],
                "city": "cannes",
            },
            {
                "key": "chapter-2",
                "slug": "le-plateau-de-tournage-reinvente",
                "title": "Le plateau de tournage réinventé",
                "kind": ESSAY,
                "contributors": [("hugo", "author")],
                "themes": ["practices", "circulation"],
                "sectors": ["cinema"],
                "city": "busan",
                "image": "cinema",
            },
            {
                "key": "chapter-3",
                "slug": "atelier-darts-numeriques",
                "title": "Atelier d’arts numériques : carnet d’expériences",
                "kind": CASE_STUDY,
                "contributors": [("nadia", "author"), ("lina", "illustrator")],
                "themes": ["practices"],
                "sectors": ["arts-numeriques"],
                "city": "linz",
                "image": "digital-arts",
            },
        ],
    },
    {
        "key": "part-2",
        "slug": "circulations-des-oeuvres",
        "title": "Circulations des œuvres",
        "subtitle": "Partie d’exemple",
        "introduction": (
            "<p>Introduction d’exemple : cette partie de démonstration regroupe des chapitres sur "
            "les mutations des modes de diffusion des œuvres culturelles.</p>"
        ),
        "chapters": [
            {
                "key": "chapter-4",
                "slug": "composer-partager-transmettre",
                "title": "Composer, partager, transmettre",
                "kind": INTERVIEW,
                "contributors": [("jarre", "interviewee"), ("tomas", "interviewer")],
                "themes": ["circulation", "practices"],
                "sectors": ["musique"],
                "city": "bologne",
            },
            {
                "key": "chapter-5",
                "slug": "nouveaux-ecrans-nouveaux-formats",
                "title": "Nouveaux écrans, nouveaux formats",
                "kind": CASE_STUDY,
                "contributors": [("laroche-joubert", "author"), ("hugo", "co-author")],
                "themes": ["circulation"],
                "sectors": ["cinema", "arts-numeriques"],
                "city": "cannes",
                "image": "circulation",
            },
            {
                "key": "chapter-6",
                "slug": "le-livre-et-ses-lecteurs-numeriques",
                "title": "Le livre et ses lecteurs numériques",
                "kind": ESSAY,
                "contributors": [("lina", "author")],
                "themes": ["circulation"],
                "sectors": ["litterature"],
                "city": "cracovie",
                "image": "practices",
            },
        ],
    },
    {
        "key": "part-3",
        "slug": "le-public-face-a-la-creation",
        "title": "Le public face à la création",
        "subtitle": "Partie d’exemple",
        "introduction": (
            "<p>Introduction d’exemple : cette partie de démonstration regroupe des chapitres sur "
            "les changements du rapport du public à la création artistique.</p>"
        ),
        "chapters": [
            {
                "key": "chapter-7",
                "slug": "comprendre-les-algorithmes-pour-mieux-creer",
                "title": "Comprendre les algorithmes pour mieux créer",
                "kind": ESSAY,
                "contributors": [("landi", "author"), ("olek", "co-author")],
                "themes": ["public", "practices"],
                "sectors": ["arts-numeriques"],
                "city": "enghien-les-bains",
                "image": "public",
            },
            {
                "key": "chapter-8",
                "slug": "ecoute-partagee",
                "title": "Écoute partagée",
                "kind": CASE_STUDY,
                "contributors": [("tomas", "author"), ("nadia", "photographer")],
                "themes": ["public"],
                "sectors": ["musique"],
                "city": "seville",
                "image": "music",
                # Sent from Seville in Spanish and translated into French for the book.
                "original_language": "es",
            },
            {
                "key": "chapter-9",
                "slug": "regards-croises-sur-limage-animee",
                "title": "Regards croisés sur l’image animée",
                "kind": INTERVIEW,
                "contributors": [("nomura", "interviewee"), ("camille", "interviewer")],
                "themes": ["public"],
                "sectors": ["cinema"],
                "city": "bradford",
            },
        ],
    },
    {
        "key": "part-4",
        "slug": "carnets-des-villes",
        "title": "Carnets des villes",
        "subtitle": "Partie d’exemple",
        "introduction": (
            "<p>Introduction d’exemple : des carnets de démonstration venus des villes du réseau.</p>"
        ),
        "chapters": [
            {
                "key": "chapter-10",
                "slug": "une-residence-decriture",
                "title": "Carnet d’exemple : une résidence d’écriture",
                "kind": ESSAY,
                "contributors": [("olek", "author")],
                "themes": ["practices"],
                "sectors": ["litterature"],
                "city": "edimbourg",
            },
            {
                "key": "chapter-11",
                "slug": "un-festival-et-son-public",
                "title": "Carnet d’exemple : un festival et son public",
                "kind": CASE_STUDY,
                "contributors": [("hugo", "author"), ("lina", "co-author"), ("tomas", "translator")],
                "themes": ["public", "circulation"],
                "sectors": ["cinema", "musique"],
                "city": "bradford",
                "image": "cover",
            },
            {
                "key": "chapter-12",
                "slug": "sons-et-images-en-dialogue",
                "title": "Carnet d’exemple : sons et images en dialogue",
                "kind": INTERVIEW,
                "contributors": [("nadia", "interviewee"), ("olek", "interviewer")],
                "themes": ["circulation"],
                "sectors": ["musique", "arts-numeriques"],
                "city": "hamamatsu",
            },
        ],
    },
]

CHAPTER_SUBTITLE = "Chapitre d’exemple — contenu de démonstration"

DEMO_NOTICE = (
    "Contenu de démonstration : ce chapitre n’est pas le texte publié, ses paragraphes sont "
    "composés à partir de phrases d’exemple."
)

SENTENCES = [
    "Ce paragraphe est un texte d’exemple destiné à montrer la mise en page d’un chapitre.",
    "Les outils d’intelligence artificielle s’invitent dans les ateliers, les studios et les salles de montage.",
    "Chaque ville du réseau observe ces transformations à partir de ses propres pratiques culturelles.",
    "Le contenu de démonstration remplace ici le texte définitif de la contribution.",
    "Les créateurs interrogent la place de l’outil dans le geste artistique.",
    "La question de l’authenticité revient souvent dans les échanges entre artistes et publics.",
    "Les plateformes modifient la manière dont les œuvres rencontrent leurs lecteurs, leurs auditeurs et leurs spectateurs.",
    "Cette phrase d’exemple sert uniquement à donner du volume au paragraphe.",
    "Les métiers de la création évoluent au rythme des expérimentations menées sur le terrain.",
    "Des ateliers participatifs permettent au public de découvrir ces nouveaux procédés.",
    "La protection des droits des auteurs reste une préoccupation partagée.",
    "Les bibliothèques, les cinémas et les salles de concert deviennent des lieux de médiation.",
    "Texte d’exemple : aucune affirmation de ce paragraphe ne provient de l’ouvrage publié.",
    "Les écoles d’art adaptent leurs enseignements à ces nouveaux outils.",
    "La traduction des œuvres dans de nombreuses langues élargit leur diffusion.",
    "Les festivals accueillent des programmes consacrés aux créations assistées par ordinateur.",
    "Le dialogue entre chercheurs et artistes nourrit des projets communs.",
    "Ce passage de démonstration illustre un paragraphe de longueur moyenne.",
    "Les œuvres numériques posent la question de leur conservation sur le long terme.",
    "La curiosité du public accompagne souvent les premières expérimentations.",
    "Les villes créatives partagent leurs expériences au sein du réseau.",
    "Un texte d’exemple comme celui-ci permet de vérifier le rendu typographique.",
    "Les modes de production collaboratifs se multiplient dans tous les secteurs.",
    "La relation entre l’œuvre et son public se transforme à mesure que les usages changent.",
]

SECTION_TITLES = [
    "Section d’exemple : premières observations",
    "Section d’exemple : un contexte en mouvement",
    "Section d’exemple : expériences de terrain",
    "Section d’exemple : questions ouvertes",
    "Section d’exemple : perspectives",
    "Section d’exemple : méthodes et outils",
]

SUBSECTION_TITLES = [
    "Sous-section d’exemple : un premier cas",
    "Sous-section d’exemple : ce que disent les chiffres",
    "Sous-section d’exemple : retours d’ateliers",
]

DETAIL_TITLES = ["Détail d’exemple : le dispositif", "Détail d’exemple : le calendrier"]

QUESTIONS = [
    "Question d’exemple : comment ces outils modifient-ils votre manière de travailler ?",
    "Question d’exemple : quels usages observez-vous autour de vous ?",
    "Question d’exemple : qu’est-ce que cela change pour le public ?",
    "Question d’exemple : quelles limites faudrait-il poser ?",
    "Question d’exemple : que transmettre aux jeunes créateurs ?",
]

ANSWER_NOTICE = "Réponse d’exemple : texte de démonstration qui ne reproduit aucun propos réel."

QUOTES = [
    "Citation d’exemple : la création reste une affaire de regard, quel que soit l’outil.",
    "Citation d’exemple : chaque œuvre cherche encore son public, même lorsque la machine l’aide à naître.",
    "Citation d’exemple : la technique change, la question du sens demeure.",
]

NOTES = [
    "Note d’exemple : référence fictive donnée pour la démonstration.",
    "Note d’exemple : précision de démonstration sans source réelle.",
    "Note d’exemple : ce renvoi illustre la numérotation des notes.",
]

BIBLIOGRAPHY = [
    {
        "author": "Exemple, Camille",
        "title": "Titre d’ouvrage d’exemple sur la création et les machines",
        "publisher": "Éditions de démonstration",
        "year": 2023,
        "url": "https://example.org/bibliographie/creation-et-machines",
    },
    {
        "author": "Prototype, Olek",
        "title": "Article d’exemple : les algorithmes et le public",
        "publisher": "Revue fictive des arts numériques",
        "year": 2024,
        "url": "",
    },
    {
        "author": "Spécimen, Lina",
        "title": "Essai d’exemple sur la traduction des œuvres",
        "publisher": "Éditions de démonstration",
        "year": 2022,
        "url": "",
    },
]

EMBED = {
    "url": "https://vimeo.com/76979871",
    "title": "Vidéo d’exemple",
    "caption": "Légende d’exemple : vidéo intégrée pour la démonstration, sans lien avec l’ouvrage.",
}


def chapter_summary(chapter):
    return (
        f"Résumé d’exemple du chapitre « {chapter['title']} ». Ce résumé de démonstration "
        "tient la place du résumé publié."
    )


class BodyWriter:
    """Composes one chapter body as (block type, value) pairs; ``image`` is the chapter's image."""

    def __init__(self, chapter, image=None, image_alt_text=""):
        self.chapter = chapter
        self.image = image
        self.image_alt_text = image_alt_text
        self.random = random.Random(f"demo-book:{chapter['key']}")
        self.notes = []

    def body(self):
        compose = {ESSAY: self.essay, INTERVIEW: self.interview, CASE_STUDY: self.case_study}
        blocks = compose[self.chapter["kind"]]()
        blocks += [("note", {"number": number, "text": text}) for number, text in self.notes]
        return blocks

    def essay(self):
        blocks = [self.paragraph(lead=DEMO_NOTICE)]
        sections = self.random.sample(SECTION_TITLES, 3)
        blocks.append(self.heading("h2", sections[0]))
        blocks += [self.paragraph(note=True), self.paragraph()]
        blocks.append(self.quote())
        blocks.append(self.heading("h3", self.random.choice(SUBSECTION_TITLES)))
        blocks += [self.paragraph() for _index in range(self.random.randint(1, 3))]
        if self.image:
            blocks.append(self.image_block())
        blocks.append(self.heading("h2", sections[1]))
        blocks += [self.paragraph(note=True), self.paragraph()]
        blocks.append(self.heading("h2", "Bibliographie d’exemple"))
        blocks += [("bibliography_entry", dict(entry)) for entry in self.random.sample(BIBLIOGRAPHY, 2)]
        return blocks

    def interview(self):
        blocks = [self.paragraph(lead=DEMO_NOTICE), self.paragraph()]
        blocks.append(self.heading("h2", "Entretien d’exemple"))
        questions = self.random.sample(QUESTIONS, self.random.randint(3, 4))
        for position, question in enumerate(questions):
            blocks.append(self.answer(question, note=position == 1))
        blocks.append(self.embed())
        blocks.append(self.paragraph())
        return blocks

    def case_study(self):
        blocks = [self.paragraph(lead=DEMO_NOTICE)]
        blocks.append(self.heading("h2", self.random.choice(SECTION_TITLES)))
        blocks += [self.paragraph(), self.paragraph(note=True)]
        blocks.append(self.heading("h3", self.random.choice(SUBSECTION_TITLES)))
        blocks.append(self.paragraph())
        blocks.append(self.heading("h4", self.random.choice(DETAIL_TITLES)))
        blocks.append(self.paragraph())
        if self.image:
            blocks.append(self.image_block())
        blocks.append(self.embed())
        blocks.append(self.quote())
        blocks.append(self.paragraph())
        blocks.append(self.heading("h2", "Bibliographie d’exemple"))
        blocks.append(("bibliography_entry", dict(self.random.choice(BIBLIOGRAPHY))))
        return blocks

    def sentences(self, low, high):
        return self.random.sample(SENTENCES, self.random.randint(low, high))

    def rich_sentences(self, low, high, note=False):
        sentences = [escape(sentence) for sentence in self.sentences(low, high)]
        if self.random.random() < 0.4:
            position = self.random.randrange(len(sentences))
            sentences[position] = f"<i>{sentences[position]}</i>"
        if note:
            number = len(self.notes) + 1
            self.notes.append((number, f"<p>{escape(NOTES[(number - 1) % len(NOTES)])}</p>"))
            position = self.random.randrange(len(sentences))
            sentences[position] = f"{sentences[position]}[^{number}]"
        return " ".join(sentences)

    def paragraph(self, lead=None, note=False):
        text = self.rich_sentences(3, 6, note=note)
        if lead:
            text = f"<b>{escape(lead)}</b> {text}"
        return ("paragraph", f"<p>{text}</p>")

    def heading(self, level, text):
        return ("heading", {"level": level, "text": text})

    def quote(self):
        return ("quote", {"text": self.random.choice(QUOTES), "attribution": self.quote_attribution()})

    def quote_attribution(self):
        """Quotes are attributed to invented people only, never to a named contributor."""
        fictional = {person["key"]: person["name"] for person in CONTRIBUTORS if person.get("fictional")}
        for key, _role in self.chapter["contributors"]:
            if key in fictional:
                return f"{fictional[key]} (citation d’exemple)"
        return "Personne fictive (citation d’exemple)"

    def image_block(self):
        return (
            "image",
            {
                "image": self.image,
                "alt_text": self.image_alt_text,
                "caption": f"Légende d’exemple : illustration abstraite du chapitre « {self.chapter['title']} ».",
                "credit": SAMPLE_CREDIT,
            },
        )

    def embed(self):
        return ("embed", dict(EMBED))

    def answer(self, question, note=False):
        answer = f"<p>{escape(ANSWER_NOTICE)} {self.rich_sentences(2, 5, note=note)}</p>"
        return ("interview", {"question": question, "answer": answer})
