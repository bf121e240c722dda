"""The English-French lexicon of the parallel generator: nouns, adjectives and verbs with their French forms,
names, dates, places and function words; and the lexicon as a word-for-word dictionary (`oracle_dictionary`),
the baseline the generator is calibrated against."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .french import EN_TENS, EN_UNITS, FR_UNITS, finish_french, french_number, starts_with_vowel


@dataclass(frozen=True)
class Noun:
    en: str
    en_pl: str
    fr: str
    fr_pl: str
    gender: str  # "m" or "f"
    kind: str  # person, thing, food, animal, place
    tags: frozenset = frozenset()  # open, wear, in, on, under, behind, near: what verbs/prepositions fit


@dataclass(frozen=True)
class Adjective:
    en: str
    forms: tuple[str, str, str, str]  # m sg, f sg, m pl, f pl
    before: bool  # placed before the noun
    kinds: frozenset
    ms_vowel: str | None = None  # bel, vieil, nouvel

    def agree(self, gender: str, plural: bool, next_word: str | None = None) -> str:
        if gender == "m" and not plural and self.ms_vowel and next_word and starts_with_vowel(next_word):
            return self.ms_vowel
        return self.forms[(2 if plural else 0) + (gender == "f")]


@dataclass(frozen=True)
class Verb:
    en: tuple[str, str, str]  # base, 3rd person singular, past
    fr: tuple[str, str, str, str, str]  # je, vous, il, nous, ils
    participle: str
    objects: frozenset  # noun kinds or tags it takes
    past: bool = True  # has a natural passé composé here


def _n(spec: str, kind: str, tags: str = "") -> list[Noun]:
    out = []
    for item in spec.split(";"):
        en, en_pl, fr, fr_pl, g = item.split()
        out.append(Noun(en.replace("_", " "), en_pl.replace("_", " "), fr, fr_pl, g, kind, frozenset(tags.split())))
    return out


PEOPLE = _n("man men homme hommes m; woman women femme femmes f; boy boys garçon garçons m; girl girls fille filles f;"
            "child children enfant enfants m; teacher teachers professeur professeurs m;"
            "doctor doctors médecin médecins m; student students étudiant étudiants m; king kings roi rois m;"
            "queen queens reine reines f; actor actors acteur acteurs m; actress actresses actrice actrices f;"
            "sister sisters sœur sœurs f; brother brothers frère frères m; uncle uncles oncle oncles m;"
            "aunt aunts tante tantes f", "person")
THINGS = (
    _n("car cars voiture voitures f; house houses maison maisons f", "thing", "in behind near")
    + _n("box boxes boîte boîtes f; bag bags sac sacs m", "thing", "open in")
    + _n("book books livre livres m; letter letters lettre lettres f; bottle bottles bouteille bouteilles f;"
         "computer computers ordinateur ordinateurs m; umbrella umbrellas parapluie parapluies m", "thing", "open")
    + _n("window windows fenêtre fenêtres f; door doors porte portes f", "thing", "open behind near")
    + _n("table tables table tables f; chair chairs chaise chaises f; armchair armchairs fauteuil fauteuils m",
         "thing", "on under")
    + _n("tree trees arbre arbres m", "thing", "under behind near")
    + _n("hat hats chapeau chapeaux m; shoe shoes chaussure chaussures f; shirt shirts chemise chemises f",
         "thing", "wear")
    + _n("flower flowers fleur fleurs f; key keys clé clés f; newspaper newspapers journal journaux m;"
         "bike bikes vélo vélos m; painting paintings tableau tableaux m; glass glasses verre verres m;"
         "boat boats bateau bateaux m; lamp lamps lampe lampes f; ball balls balle balles f", "thing")
    + _n("plate plates assiette assiettes f", "thing", "on")
)
ANIMALS = _n("dog dogs chien chiens m; cat cats chat chats m; bird birds oiseau oiseaux m;"
             "horse horses cheval chevaux m; animal animals animal animaux m; cow cows vache vaches f;"
             "mouse mice souris souris f", "animal")
FOOD = _n("apple apples pomme pommes f; cake cakes gâteau gâteaux m; egg eggs œuf œufs m;"
          "orange oranges orange oranges f; tomato tomatoes tomate tomates f; banana bananas banane bananes f;"
          "pear pears poire poires f; lemon lemons citron citrons m; strawberry strawberries fraise fraises f", "food")
PLACES = _n("garden gardens jardin jardins m; school schools école écoles f; station stations gare gares f;"
            "market markets marché marchés m; park parks parc parcs m; hotel hotels hôtel hôtels m;"
            "church churches église églises f; museum museums musée musées m; bank banks banque banques f;"
            "beach beaches plage plages f; library libraries bibliothèque bibliothèques f;"
            "restaurant restaurants restaurant restaurants m; airport airports aéroport aéroports m;"
            "hospital hospitals hôpital hôpitaux m; office offices bureau bureaux m; cinema cinemas cinéma cinémas m;"
            "swimming_pool swimming_pools piscine piscines f; supermarket supermarkets supermarché supermarchés m",
            "place", "near behind")
OBJECTS = THINGS + ANIMALS + FOOD
NAMES = (("Paul", "m"), ("Marie", "f"), ("Thomas", "m"), ("Sophie", "f"), ("Julie", "f"), ("Louis", "m"),
         ("Emma", "f"), ("Hugo", "m"), ("Claire", "f"), ("Pierre", "m"), ("Anna", "f"), ("Marc", "m"))


def _a(spec: str, before: bool, kinds: str) -> list[Adjective]:
    out = []
    for item in spec.split(";"):
        words = item.split()
        ms_vowel = words[5] if len(words) > 5 else None
        out.append(Adjective(words[0], tuple(words[1:5]), before, frozenset(kinds.split()), ms_vowel))
    return out


ADJECTIVES = (
    _a("red rouge rouge rouges rouges; blue bleu bleue bleus bleues; green vert verte verts vertes;"
       "black noir noire noirs noires; white blanc blanche blancs blanches; yellow jaune jaune jaunes jaunes;"
       "grey gris grise gris grises; brown marron marron marron marron; pink rose rose roses roses",
       False, "thing animal")
    + _a("heavy lourd lourde lourds lourdes; expensive cher chère chers chères; round rond ronde ronds rondes;"
         "empty vide vide vides vides; broken cassé cassée cassés cassées; dirty sale sale sales sales;"
         "clean propre propre propres propres", False, "thing")
    + _a("French français française français françaises; Italian italien italienne italiens italiennes;"
         "English anglais anglaise anglais anglaises; German allemand allemande allemands allemandes",
         False, "thing food person")
    + _a("happy heureux heureuse heureux heureuses; tired fatigué fatiguée fatigués fatiguées;"
         "sad triste triste tristes tristes; angry fâché fâchée fâchés fâchées; sick malade malade malades malades;"
         "famous célèbre célèbre célèbres célèbres; rich riche riche riches riches;"
         "intelligent intelligent intelligente intelligents intelligentes;"
         "lazy paresseux paresseuse paresseux paresseuses", False, "person")
    + _a("fresh frais fraîche frais fraîches; ripe mûr mûre mûrs mûres; delicious délicieux délicieuse délicieux "
         "délicieuses", False, "food")
    + _a("small petit petite petits petites; big grand grande grands grandes; pretty joli jolie jolis jolies;"
         "good bon bonne bons bonnes; bad mauvais mauvaise mauvais mauvaises", True, "thing animal food person place")
    + _a("young jeune jeune jeunes jeunes", True, "person animal")
    + _a("old vieux vieille vieux vieilles vieil; beautiful beau belle beaux belles bel", True,
         "thing animal person place")
    + _a("new nouveau nouvelle nouveaux nouvelles nouvel", True, "thing place")
    + _a("long long longue longs longues", True, "thing")
)


def _v(en: str, fr: str, participle: str, objects: str, past: bool = True) -> Verb:
    return Verb(tuple(en.replace("_", " ").split(",")), tuple(fr.split(",")), participle, frozenset(objects.split()),
                past)


VERBS = (
    _v("see,sees,saw", "vois,voyez,voit,voyons,voient", "vu", "person thing animal food"),
    _v("buy,buys,bought", "achète,achetez,achète,achetons,achètent", "acheté", "thing animal food"),
    _v("sell,sells,sold", "vends,vendez,vend,vendons,vendent", "vendu", "thing animal"),
    _v("like,likes,liked", "aime,aimez,aime,aimons,aiment", "aimé", "person thing animal food"),
    _v("find,finds,found", "trouve,trouvez,trouve,trouvons,trouvent", "trouvé", "thing animal food"),
    _v("take,takes,took", "prends,prenez,prend,prenons,prennent", "pris", "thing food"),
    _v("want,wants,wanted", "veux,voulez,veut,voulons,veulent", "voulu", "thing animal food", past=False),
    _v("have,has,had", "ai,avez,a,avons,ont", "eu", "thing animal", past=False),
    _v("wash,washes,washed", "lave,lavez,lave,lavons,lavent", "lavé", "thing animal"),
    _v("open,opens,opened", "ouvre,ouvrez,ouvre,ouvrons,ouvrent", "ouvert", "open"),
    _v("paint,paints,painted", "peins,peignez,peint,peignons,peignent", "peint", "thing"),
    _v("look_for,looks_for,looked_for", "cherche,cherchez,cherche,cherchons,cherchent", "cherché",
       "person thing animal food"),
    _v("forget,forgets,forgot", "oublie,oubliez,oublie,oublions,oublient", "oublié", "thing"),
    _v("eat,eats,ate", "mange,mangez,mange,mangeons,mangent", "mangé", "food"),
    _v("carry,carries,carried", "porte,portez,porte,portons,portent", "porté", "thing animal food"),
    _v("wear,wears,wore", "porte,portez,porte,portons,portent", "porté", "wear"),
    _v("meet,meets,met", "rencontre,rencontrez,rencontre,rencontrons,rencontrent", "rencontré", "person"),
    _v("call,calls,called", "appelle,appelez,appelle,appelons,appellent", "appelé", "person animal"),
)
PERSONS = ("je", "vous", "il", "nous", "ils")
AVOIR = dict(zip(PERSONS, ("ai", "avez", "a", "avons", "ont")))
AVOIR_IMPARFAIT = dict(zip(PERSONS, ("avais", "aviez", "avait", "avions", "avaient")))
ETRE = dict(zip(PERSONS, ("suis", "êtes", "est", "sommes", "sont")))
ETRE_IMPARFAIT = dict(zip(PERSONS, ("étais", "étiez", "était", "étions", "étaient")))
ALLER = dict(zip(PERSONS, ("vais", "allez", "va", "allons", "vont")))
MONTHS = (("January", "janvier", 31), ("February", "février", 28), ("March", "mars", 31), ("April", "avril", 30),
          ("May", "mai", 31), ("June", "juin", 30), ("July", "juillet", 31), ("August", "août", 31),
          ("September", "septembre", 30), ("October", "octobre", 31), ("November", "novembre", 30),
          ("December", "décembre", 31))
DAYS = (("Monday", "lundi"), ("Tuesday", "mardi"), ("Wednesday", "mercredi"), ("Thursday", "jeudi"),
        ("Friday", "vendredi"), ("Saturday", "samedi"), ("Sunday", "dimanche"))
# Countries take en (feminine), au (masculine), aux (plural): to France -> en France, to Japan -> au Japon.
COUNTRIES = (("France", "France", "f"), ("Italy", "Italie", "f"), ("Spain", "Espagne", "f"),
             ("Germany", "Allemagne", "f"), ("England", "Angleterre", "f"), ("Canada", "Canada", "m"),
             ("Japan", "Japon", "m"), ("Portugal", "Portugal", "m"), ("Mexico", "Mexique", "m"),
             ("Brazil", "Brésil", "m"), ("the United States", "États-Unis", "pl"),
             ("the Netherlands", "Pays-Bas", "pl"))
CITIES = (("Paris", "Paris"), ("London", "Londres"), ("Rome", "Rome"), ("Berlin", "Berlin"), ("Lisbon", "Lisbonne"),
          ("Montreal", "Montréal"))
PREPOSITIONS = {"in": "dans", "on": "sur", "under": "sous", "behind": "derrière", "near": "près de"}
# English possessive determiner -> French (singular masculine/before a vowel, singular feminine, plural)
POSSESSIVES = {"my": ("mon", "ma", "mes"), "your": ("votre", "votre", "vos"), "his": ("son", "sa", "ses"),
               "her": ("son", "sa", "ses"), "our": ("notre", "notre", "nos"), "their": ("leur", "leur", "leurs")}
CONNECTIVES = (("and", "et"), ("but", "mais"), ("because", "parce que"), ("when", "quand"))


def oracle_dictionary() -> dict[str, str]:
    """English word -> one French rendering, from the generator's own lexicon: the best a dictionary knows.

    Nouns keep their number, adjectives give the masculine singular, verbs the
    form of 'je' (base), 'il' (3rd singular) or the participle (past); words
    with no French counterpart (do, does, did) map to ''.
    """
    d: dict[str, str] = {}
    for n in PEOPLE + OBJECTS + PLACES:
        *first, last = n.en.split()  # swimming pool -> piscine
        d.update({w: "" for w in first})
        d[last], d[n.en_pl.split()[-1]] = n.fr, n.fr_pl
    for a in ADJECTIVES:
        d[a.en.lower()] = a.forms[0]
    for v in VERBS:
        for en, fr in zip(v.en, (v.fr[0], v.fr[2], v.participle)):
            d[en.split()[0]] = fr
    d["for"] = ""
    d.update({"am": "suis", "is": "est", "are": "sont", "was": "était", "were": "étaient", "go": "vais", "goes": "va",
              "went": "allé", "i": "je", "you": "vous", "he": "il", "she": "elle", "we": "nous", "they": "ils",
              "the": "le", "a": "un", "an": "un", "some": "des", "any": "de", "this": "ce", "these": "ces",
              "that": "que",
              "to": "à", "at": "à", "do": "", "does": "", "did": "", "not": "pas", "never": "jamais",
              "there": "il y", "years": "ans", "year": "an", "o'clock": "heures", "noon": "midi",
              "midnight": "minuit", "yesterday": "hier", "today": "aujourd'hui", "every": "tous", "hundred": "cent",
              "'s": "de", "'": "de"})
    d.update({en: fr for en, fr in CONNECTIVES})
    d.update({en: " ".join(fr) if isinstance(fr, tuple) else fr for en, fr in PREPOSITIONS.items()})
    d.update({en: fr[0] for en, fr in POSSESSIVES.items()})
    d.update({m.lower(): f for m, f, _ in MONTHS})
    d.update({e.lower(): f for e, f in DAYS})
    for en, fr, _ in COUNTRIES:
        *first, last = en.split()
        d.update({w.lower(): "" for w in first if w != "the"})
        d[last.lower()] = fr
    d.update({en.lower(): fr for en, fr in CITIES})
    for k in range(1, 20):
        d[EN_UNITS[k]] = FR_UNITS[k] if k < 17 else "dix-" + FR_UNITS[k - 10]
    for t in range(2, 10):
        d[EN_TENS[t]] = french_number(10 * t)
    return d


_WORD = re.compile(r"o'clock|'s\b|'|[A-Za-z]+|\d+|[^\sA-Za-z\d]")


def word_by_word(sentence: str, dictionary: dict[str, str], rules: bool = False) -> str:
    """Monotone word-for-word translation; with rules, elision and contractions are applied afterwards."""
    out = []
    for token in _WORD.findall(sentence):
        fr = dictionary.get(token.lower(), token)
        out.extend(fr.split() if fr else [])
    if rules:
        text = finish_french(out)
    else:
        text = re.sub(r" ([,.])", r"\1", " ".join(out))
        text = text[:1].upper() + text[1:]
    return re.sub(r" ?- ?", "-", text)

