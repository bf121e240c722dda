"""English-French sentence pairs for Experiment 5: seq2seq translation with attention.

Real parallel text is read from `<data dir>/en-fr/` in either of two layouts:

* a TSV file, one `English<TAB>French` pair a line, like the Tatoeba/ManyThings
  `fra.txt` (whose third column, the attribution, is ignored), plain or still
  inside `fra-eng.zip`;
* Moses-style paired files `X.en` / `X.fr` with the same number of lines, like
  OPUS's `Books.en-fr.en` / `Books.en-fr.fr` (opus_books, which the lab used);
  `train`, `valid`/`dev`/`val` and `test` pairs, when present, give the split.

Whitespace is normalised (non-breaking spaces, which fra.txt puts before
French '?' and '!', become plain ones; runs collapse), Unicode is NFC, and
pairs with an empty side are dropped. A single file is split by English
sentence (every translation of one English sentence lands in the same part,
so nothing leaks between train and test): 2% validation, 5% test, by a fixed
seed. No canonical file is downloaded: ManyThings republishes `fra-eng.zip`
as Tatoeba grows and no SHA-256 of it is published (TensorFlow Datasets does
not carry it; d2l's frozen mirror publishes only a SHA-1), so the files are
placed by hand.

Without real files the embedded default is `make_parallel`: a deterministic
generator of English->French pairs that follow real French grammar, built
so that a word-for-word dictionary is far from enough:

* numbers in words with the French irregularities: vingt et un / vingt et
  une (agreement with the noun), soixante et onze, soixante-dix-sept,
  quatre-vingts but quatre-vingt-un, quatre-vingt-dix-neuf, deux cents but
  deux cent trois (traditional spelling), "at one o'clock" -> "à une heure";
* dates: "on March 3" -> "le 3 mars", "March 1" -> "le 1er mars", "on Monday,
  March 3, 1999" -> "le lundi 3 mars 1999", months and days in lower case;
* adjectives after the noun (the red car -> la voiture rouge), a few before
  it (petit, grand, bon, joli, jeune, vieux, beau, nouveau, mauvais, long),
  with gender and number agreement (rouges, petite, blanches, heureuse) and
  bel/vieil/nouvel before a vowel; "des" -> "de" before a preceding
  adjective (de petites voitures); invariable marron;
* articles and determiners: le/la/l'/les, un/une/des, mon/ma/mes (mon before
  a vowel: mon assiette), son/sa/ses agreeing with the thing owned (her car
  -> sa voiture), ce/cet/cette/ces; contractions au/aux/du/des; elision
  j'/n'/l'/d'/qu'; places: au marché, à l'école, en France, au Japon, aux
  États-Unis, à Londres;
* conjugation of 18 verbs in the present, the passé composé (avoir, and être
  with participle agreement: elle est allée), the imperfect of être/avoir;
  negation ne ... pas / ne ... jamais around the verb, "pas de" for an
  indefinite object (I do not have a car -> je n'ai pas de voiture);
  participle agreement with a preceding object (la voiture que Paul a
  achetée); ages with avoir (he is 71 years old -> il a soixante et onze
  ans); "there are" -> "il y a"; questions with "est-ce que" and a space
  before '?';
* reordering: possessives (the boy's red bike -> le vélo rouge du garçon),
  adverbials at the front or the end, sentences of 5-25 English tokens made
  of one or two clauses (and, but, because, when).

Default sizes: 20,000 train, 500 validation, 1,000 hidden test pairs, all
English sentences distinct (mean 11 tokens); 1.6-2.3 s to generate on a
loaded 2-core machine.

Calibration, measured with sacrebleu 2.6 (tests/test_data_parallel.py, 13a
tokenisation, on the 1,000 test pairs of seeds 0/1/2): copying the English
source scores 0.29 / 0.28 / 0.30 BLEU; a monotone word-by-word translation
with the oracle dictionary of the generator's own lexicon
(`oracle_dictionary`, which knows every English word it emits) scores
23.7 / 23.0 / 23.7, and 26.1 / 25.5 / 25.7 when French elision and
contractions are applied to it afterwards; the references score 100 against
themselves. A model must learn reordering, agreement and the number rules,
not only words.

What the embedded variant preserves of real parallel text: grammatical
French with real morphology and word order, a long tail of forms over a
small lexicon, one-to-many and many-to-one word correspondences (look for ->
cherche, wear and carry -> porte, swimming pool -> piscine), and sentence
lengths where attention matters. What it does not: a natural vocabulary
(about 370 English words, 740 French word forms), sense (sentences are
grammatical but often absurd), idiom, paraphrase and ambiguity (every
English sentence has exactly one translation: "you" is always "vous",
agreeing as a masculine singular, "they" always "ils", "I", "we" and
unmarked people masculine), and the topic and style of books or Tatoeba;
BLEU targets are kept per variant.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import DatasetInfo, DatasetSpec, Split, checksum

FOLDER = "en-fr"
VAL_FRACTION, TEST_FRACTION, SPLIT_SEED = 0.02, 0.05, 20261123
_SPLIT_NAMES = {"train": ("train",), "val": ("valid", "dev", "val"), "test": ("test",)}


# --------------------------------------------------------------------------- real files


def normalise(text: str) -> str:
    """NFC, every kind of space as one plain space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def find_parallel(data_dir: Path | None) -> dict | None:
    """The parallel files under data_dir/en-fr (or data_dir).

    {"tsv": path} for a TSV (or fra-eng.zip); for Moses files {part: (en, fr)}
    with parts train/val/test as the file names give them, or {"all": (en, fr)}.
    """
    if data_dir is None:
        return None
    for folder in (data_dir / FOLDER, data_dir):
        if not folder.is_dir():
            continue
        for name in ("fra.txt", "fra-eng.zip"):
            if (folder / name).is_file():
                return {"tsv": folder / name}
        tsv = sorted(folder.glob("*.tsv"))
        if tsv:
            return {"tsv": tsv[0]}
        pairs = {p.with_suffix(""): (p, p.with_suffix(".fr")) for p in sorted(folder.glob("*.en"))
                 if p.with_suffix(".fr").is_file()}
        if not pairs:
            continue
        parts = {}
        for part, stems in _SPLIT_NAMES.items():
            for stem in stems:
                if folder / stem in pairs:
                    parts[part] = pairs[folder / stem]
                    break
        return parts if "train" in parts else {"all": next(iter(pairs.values()))}
    return None


def _tsv_lines(path: Path) -> list[str]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.endswith(".txt") and not Path(n).name.startswith("_")]
            if not names:
                raise ValueError(f"{path}: no .txt file of sentence pairs inside")
            raw = z.read("fra.txt" if "fra.txt" in names else names[0])
    else:
        raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not UTF-8 text ({err})") from err


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """(English, French) pairs of a TSV file; a third column (fra.txt's attribution) is ignored."""
    pairs = []
    for number, line in enumerate(_tsv_lines(path), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise ValueError(f"{path}:{number}: expected English<TAB>French[<TAB>attribution], got {line[:80]!r}")
        en, fr = normalise(fields[0]), normalise(fields[1])
        if en and fr:
            pairs.append((en, fr))
    if not pairs:
        raise ValueError(f"{path}: no sentence pairs")
    return pairs


def read_moses(en_path: Path, fr_path: Path) -> list[tuple[str, str]]:
    """Line-aligned pairs of X.en / X.fr; lines with an empty side are dropped."""
    en_lines = en_path.read_text(encoding="utf-8").splitlines()
    fr_lines = fr_path.read_text(encoding="utf-8").splitlines()
    if len(en_lines) != len(fr_lines):
        raise ValueError(f"{en_path} has {len(en_lines)} lines but {fr_path} has {len(fr_lines)}: not aligned")
    pairs = [(normalise(e), normalise(f)) for e, f in zip(en_lines, fr_lines)]
    pairs = [(e, f) for e, f in pairs if e and f]
    if not pairs:
        raise ValueError(f"{en_path}: no sentence pairs")
    return pairs


def split_by_source(pairs: list[tuple[str, str]], seed: int = SPLIT_SEED) -> dict[str, list[tuple[str, str]]]:
    """Train/val/test by English sentence, 93/2/5%, each part in file order."""
    sources = list(dict.fromkeys(en for en, _ in pairs))
    if len(sources) < 3:
        raise ValueError(f"need at least 3 distinct English sentences to split, got {len(sources)}")
    order = np.random.default_rng(seed).permutation(len(sources))
    n_test = max(1, round(TEST_FRACTION * len(sources)))
    n_val = max(1, round(VAL_FRACTION * len(sources)))
    part = {}
    for rank, i in enumerate(order):
        part[sources[i]] = "test" if rank < n_test else "val" if rank < n_test + n_val else "train"
    out = {"train": [], "val": [], "test": []}
    for en, fr in pairs:
        out[part[en]].append((en, fr))
    return out


def _split_of(parts: dict[str, list[tuple[str, str]]], info_kw: dict) -> Split:
    def cols(name):
        rows = parts.get(name) or []
        return [e for e, _ in rows], [f for _, f in rows]

    (xtr, ytr), (xva, yva), (xte, yte) = cols("train"), cols("val"), cols("test")
    info = DatasetInfo(checksum=checksum(xtr, ytr, xva, yva, xte, yte),
                       sizes={"train": len(xtr), "val": len(xva), "test": len(xte)}, **info_kw)
    return Split(xtr, ytr, xte, yte, info, x_val=xva, y_val=yva)


def load_parallel_files(files: dict) -> Split:
    if "tsv" in files:
        path = files["tsv"]
        return _split_of(split_by_source(read_tsv(path)), dict(
            name="en-fr", variant="real", version="tsv",
            source=f"English-French TSV {path} (split by English sentence, seed {SPLIT_SEED})"))
    if "all" in files:
        parts = split_by_source(read_moses(*files["all"]))
        how = f"split by English sentence, seed {SPLIT_SEED}"
    else:
        parts = {part: read_moses(*paths) for part, paths in files.items()}
        how = "split as given by the file names"
    first = next(iter(files.values()))[0]
    return _split_of(parts, dict(name="en-fr", variant="real", version="moses",
                                 source=f"Moses-style .en/.fr files in {first.parent} ({how})"))


# --------------------------------------------------------------------------- French helpers

_VOWELS = set("aeiouyàâäéèêëîïôöûùüœæAEIOUYÀÂÉÈÊÎÔÛŒ")
_H_MUET = {"homme", "hommes", "hôtel", "hôtels", "hôpital", "hôpitaux", "heure", "heures", "heureux", "heureuse",
           "heureuses", "habit", "histoire"}
_ELIDING = {"je": "j'", "le": "l'", "la": "l'", "de": "d'", "ne": "n'", "que": "qu'"}
_CONTRACTIONS = {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"}


def starts_with_vowel(word: str) -> bool:
    """Elision before this word: a vowel or a mute h (not before 'onze', nor an aspirated h)."""
    w = word.lower()
    return bool(w) and (w[0] in _VOWELS or w in _H_MUET) and not w.startswith("onz")


def finish_french(words: list[str]) -> str:
    """Elision (je ai -> j'ai), contractions (à le -> au), French spacing of punctuation, a capital."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _ELIDING and i + 1 < len(words) and starts_with_vowel(words[i + 1]):
            out.append(_ELIDING[w] + words[i + 1])
            i += 2
            continue
        if out and (out[-1], w) in _CONTRACTIONS:
            out[-1] = _CONTRACTIONS[(out[-1], w)]
        else:
            out.append(w)
        i += 1
    text = " ".join(w for w in out if w)
    text = re.sub(r" ([,.])", r"\1", text)
    return text[:1].upper() + text[1:]


_FR_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
             "treize", "quatorze", "quinze", "seize")
_FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def french_number(n: int, feminine: bool = False) -> str:
    """1-999 in words, traditional spelling: vingt et un(e), soixante et onze, quatre-vingts, deux cents."""
    if not 0 < n < 1000:
        raise ValueError(f"french_number takes 1-999, got {n}")

    def unit(k):
        return "une" if (k == 1 and feminine) else _FR_UNITS[k]

    def below_100(k):
        if k < 17:
            return unit(k)
        if k < 20:
            return "dix-" + _FR_UNITS[k - 10]
        tens, u = divmod(k, 10)
        if tens == 7:
            return "soixante et onze" if u == 1 else "soixante-" + below_100(10 + u)
        if tens == 8:
            return "quatre-vingts" if u == 0 else "quatre-vingt-" + unit(u)
        if tens == 9:
            return "quatre-vingt-" + below_100(10 + u)
        word = _FR_TENS[tens]
        return word if u == 0 else word + (" et " + unit(1) if u == 1 else "-" + _FR_UNITS[u])

    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return below_100(rest)
    head = "cent" if hundreds == 1 else _FR_UNITS[hundreds] + " cent"
    if rest == 0:
        return head + ("s" if hundreds > 1 else "")
    return head + " " + below_100(rest)


_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def english_number(n: int) -> str:
    """1-999 in words: twenty-one, three hundred and five."""
    hundreds, rest = divmod(n, 100)
    tens, u = divmod(rest, 10)
    small = _EN_UNITS[rest] if rest < 20 else _EN_TENS[tens] + ("-" + _EN_UNITS[u] if u else "")
    if not hundreds:
        return small
    return _EN_UNITS[hundreds] + " hundred" + (" and " + small if rest else "")


# --------------------------------------------------------------------------- lexicon


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
_PERSONS = ("je", "vous", "il", "nous", "ils")
AVOIR = dict(zip(_PERSONS, ("ai", "avez", "a", "avons", "ont")))
AVOIR_IMPARFAIT = dict(zip(_PERSONS, ("avais", "aviez", "avait", "avions", "avaient")))
ETRE = dict(zip(_PERSONS, ("suis", "êtes", "est", "sommes", "sont")))
ETRE_IMPARFAIT = dict(zip(_PERSONS, ("étais", "étiez", "était", "étions", "étaient")))
ALLER = dict(zip(_PERSONS, ("vais", "allez", "va", "allons", "vont")))
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


# --------------------------------------------------------------------------- generator


class _Rng:
    """Draws from random.Random.random() only, whose sequence Python keeps the same across versions."""

    def __init__(self, seed: int):
        self._r = random.Random(seed)

    def random(self) -> float:
        return self._r.random()

    def chance(self, p: float) -> bool:
        return self._r.random() < p

    def pick(self, seq):
        return seq[int(self._r.random() * len(seq))]

    def integer(self, lo: int, hi: int) -> int:  # inclusive
        return lo + int(self._r.random() * (hi - lo + 1))


@dataclass
class Phrase:
    """An English phrase and its French words (before elision), with what agreement needs."""

    en: list[str]
    fr: list[str]
    gender: str = "m"
    plural: bool = False
    person: str = "il"  # je, vous, il, nous, ils: the verb form it takes as a subject
    fr_negated: list[str] | None = None  # the French after a negation (un/une/des -> de)
    kind: str = "person"  # the noun's kind, for which adjectives fit


def _number(rng: _Rng) -> int:
    """2-99 mostly (where the irregular forms are), sometimes 100-999 with round hundreds (deux cents)."""
    if rng.chance(0.8):
        return rng.integer(2, 99)
    return 100 * rng.integer(1, 9) + (0 if rng.chance(0.15) else rng.integer(1, 99))


_KINDS = ("person", "thing", "food", "animal", "place")
_ADJ_FOR = {k: ([a for a in ADJECTIVES if k in a.kinds and a.before],
                [a for a in ADJECTIVES if k in a.kinds and not a.before]) for k in _KINDS}
_OBJECTS_FOR = {v.en: [n for n in OBJECTS + PEOPLE if n.kind in v.objects or n.tags & v.objects] for v in VERBS}
_PLACES_FOR = {p: [n for n in THINGS + PLACES if p in n.tags or (p == "in" and n.kind == "place")]
               for p in PREPOSITIONS}
_PAST_VERBS = [v for v in VERBS if v.past]
_RELATIVE_VERBS = [v for v in VERBS if v.past and v.objects & {"thing", "open", "wear"}]
_RELATIVE_NOUNS = {v.en: [n for n in _OBJECTS_FOR[v.en] if n.kind == "thing"] for v in _RELATIVE_VERBS}


def _adjectives(rng: _Rng, noun: Noun, p_before: float = 0.3, p_after: float = 0.45):
    before, after = _ADJ_FOR[noun.kind]
    return (rng.pick(before) if before and rng.chance(p_before) else None,
            rng.pick(after) if after and rng.chance(p_after) else None)


def noun_phrase(rng: _Rng, noun: Noun, det: str | None = None, plural: bool | None = None,
                adjectives: bool = True, possessor: bool = True) -> Phrase:
    """A determiner, adjectives and a noun, in English and French."""
    if det is None:
        det = rng.pick(("the", "the", "the", "a", "a", "poss", "this", "number", "some")
                       + (("owner",) if possessor else ()))
    if det == "poss":
        det = rng.pick(tuple(POSSESSIVES))
    if plural is None:
        plural = det in ("number", "some") or (det not in ("a",) and rng.chance(0.35))
    if det == "a":
        plural = False
    before, after = _adjectives(rng, noun) if adjectives else (None, None)
    g = noun.gender
    noun_fr = noun.fr_pl if plural else noun.fr
    before_fr = before.agree(g, plural, noun_fr) if before else None
    after_fr = after.agree(g, plural) if after else None
    first_fr = before_fr or noun_fr
    core_en = ([before.en] if before else []) + ([after.en] if after else []) + [noun.en_pl if plural else noun.en]
    core_fr = ([before_fr] if before else []) + [noun_fr] + ([after_fr] if after else [])
    owner_fr: list[str] = []
    negated = None
    if det == "the":
        en, fr = ["the"], ["les" if plural else ("le" if g == "m" else "la")]
    elif det == "a":
        en = ["an" if core_en[0][0].lower() in "aeiou" else "a"]
        fr = ["un" if g == "m" else "une"]
        negated = ["de"]
    elif det == "some":
        en, fr, negated = (["some"] if rng.chance(0.5) else []), ["de" if before else "des"], ["de"]
    elif det in POSSESSIVES:
        ms, fs, pl = POSSESSIVES[det]
        en, fr = [det], [pl if plural else (fs if g == "f" and not starts_with_vowel(first_fr) else ms)]
    elif det == "this":
        en = ["these" if plural else "this"]
        fr = ["ces" if plural else ("cette" if g == "f" else ("cet" if starts_with_vowel(first_fr) else "ce"))]
    elif det == "number":
        n = _number(rng)
        en, fr = [english_number(n)], [french_number(n, feminine=g == "f")]
    elif det == "owner":  # the boy's red bike -> le vélo rouge du garçon
        owner = person_phrase(rng, possessor=False)
        mark = "'" if owner.en[-1].endswith("s") and owner.plural else "'s"
        en = owner.en[:-1] + [owner.en[-1] + mark]
        fr = ["les" if plural else ("le" if g == "m" else "la")]
        owner_fr = ["de"] + owner.fr
    else:
        raise ValueError(det)
    words_fr = fr + core_fr + owner_fr
    return Phrase(en + core_en, words_fr, g, plural, "ils" if plural else "il",
                  (negated + core_fr + owner_fr) if negated else words_fr, noun.kind)


def person_phrase(rng: _Rng, possessor: bool = True, pronoun: bool = False) -> Phrase:
    """A subject or an owner: a name, a pronoun (when allowed) or a noun phrase of people."""
    r = rng.random()
    if pronoun and r < 0.35:
        en, fr, person, g, plural = rng.pick((("I", "je", "je", "m", False), ("you", "vous", "vous", "m", False),
                                              ("he", "il", "il", "m", False), ("she", "elle", "il", "f", False),
                                              ("we", "nous", "nous", "m", True), ("they", "ils", "ils", "m", True)))
        return Phrase([en], [fr], g, plural, person)
    if r < 0.6:
        name, g = rng.pick(NAMES)
        return Phrase([name], [name], g, False, "il")
    det = rng.pick(("the", "the", "poss", "this", "number", "a") + (("owner",) if possessor else ()))
    return noun_phrase(rng, rng.pick(PEOPLE), det=det, possessor=possessor)


def _english_present(subject: Phrase, base: str, third: str) -> str:
    return third if subject.person == "il" else base


def _be_en(subject: Phrase, past: bool) -> str:
    if subject.person == "je":
        return "was" if past else "am"
    single = subject.person == "il"
    return ("was" if single else "were") if past else ("is" if single else "are")


def _do_en(subject: Phrase, past: bool) -> str:
    return "did" if past else ("does" if subject.person == "il" else "do")


def transitive_clause(rng: _Rng, subject: Phrase, tense: str, negation: str | None,
                      question: bool = False) -> Phrase:
    """Subject, verb, object (and sometimes a place); a question asks it with do/does/did and est-ce que."""
    verb = rng.pick(_PAST_VERBS if tense == "past" else VERBS)
    if "person" in verb.objects and rng.chance(0.3):
        obj = person_phrase(rng)
    else:
        obj = noun_phrase(rng, rng.pick(_OBJECTS_FOR[verb.en]))
    base, third, past = (v.split() for v in verb.en)
    obj_en = ["any"] + obj.en[1:] if (negation and obj.en[0] == "some") else obj.en
    fr_obj = obj.fr_negated if (negation and obj.fr_negated) else obj.fr
    neg_word = "jamais" if negation == "never" else "pas"
    if tense == "past":
        aux = AVOIR[subject.person]
        fr = [aux, verb.participle] if not negation else ["ne", aux, neg_word, verb.participle]
        if question:
            en = ["did"] + subject.en + base
        else:
            en = subject.en + (past if not negation else ["did", "not"] + base)
    else:
        form = verb.fr[_PERSONS.index(subject.person)]
        fr = [form] if not negation else ["ne", form, neg_word]
        if question:
            en = [_do_en(subject, False)] + subject.en + base
        elif negation == "never":
            en = subject.en + ["never"] + (third if subject.person == "il" else base)
        elif negation:
            en = subject.en + [_do_en(subject, False), "not"] + base
        else:
            en = subject.en + (third if subject.person == "il" else base)
    words_en, words_fr = en + obj_en, subject.fr + fr + fr_obj
    if not question and rng.chance(0.25):
        place = _location(rng)
        words_en, words_fr = words_en + place.en, words_fr + place.fr
    if question:
        words_fr = ["est-ce", "que"] + words_fr
    return Phrase(words_en, words_fr)


def _location(rng: _Rng) -> Phrase:
    prep = rng.pick(tuple(PREPOSITIONS))
    np_ = noun_phrase(rng, rng.pick(_PLACES_FOR[prep]), det=rng.pick(("the", "the", "poss", "this")), plural=False,
                      possessor=False)
    return Phrase([prep] + np_.en, PREPOSITIONS[prep].split() + np_.fr)


def motion_clause(rng: _Rng, subject: Phrase, tense: str, negation: str | None) -> Phrase:
    """go / went to a place (au, à la, à l'), a country (en, au, aux) or a city (à); être and agreement."""
    r = rng.random()
    if r < 0.2:
        en_name, fr_name, g = rng.pick(COUNTRIES)
        place = Phrase(en_name.split(), {"f": ["en"], "m": ["à", "le"], "pl": ["à", "les"]}[g] + [fr_name])
    elif r < 0.3:
        en_name, fr_name = rng.pick(CITIES)
        place = Phrase([en_name], ["à", fr_name])
    else:
        place = noun_phrase(rng, rng.pick(PLACES), det=rng.pick(("the", "the", "the", "poss")), plural=False,
                            adjectives=False, possessor=False)
        place = Phrase(place.en, ["à"] + place.fr)
    if tense == "past":
        participle = "allé" + ("e" if subject.gender == "f" else "") + ("s" if subject.plural else "")
        aux = ETRE[subject.person]
        en = ["went"] if not negation else ["did", "not", "go"]
        fr = [aux, participle] if not negation else ["ne", aux, "pas", participle]
    else:
        form = ALLER[subject.person]
        if negation:
            en = [_do_en(subject, False), "not", "go"]
        else:
            en = [_english_present(subject, "go", "goes")]
        fr = [form] if not negation else ["ne", form, "pas"]
    return Phrase(subject.en + en + ["to"] + place.en, subject.fr + fr + place.fr)


def _relative_subject(rng: _Rng) -> Phrase:
    """the car that Paul bought -> la voiture que Paul a achetée (agreement with the preceding object)."""
    verb = rng.pick(_RELATIVE_VERBS)
    noun = rng.pick(_RELATIVE_NOUNS[verb.en])
    head = noun_phrase(rng, noun, det="the", possessor=False)
    inner = person_phrase(rng, possessor=False, pronoun=True)
    p = verb.participle
    agreed = p + ("e" if noun.gender == "f" else "") + ("s" if head.plural and not p.endswith("s") else "")
    return Phrase(head.en + ["that"] + inner.en + [verb.en[2]],
                  head.fr + ["que"] + inner.fr + [AVOIR[inner.person], agreed], noun.gender, head.plural, head.person,
                  kind=noun.kind)


def state_clause(rng: _Rng, subject: Phrase | None, tense: str, negation: str | None) -> Phrase:
    """X is / was (not) ADJ, with agreement; a thing, a thing with a relative clause, or a person."""
    if subject is None:
        r = rng.random()
        subject = _relative_subject(rng) if r < 0.3 else noun_phrase(rng, rng.pick(OBJECTS), possessor=r < 0.7)
    adjective = rng.pick(_ADJ_FOR[subject.kind][0] + _ADJ_FOR[subject.kind][1])
    past = tense == "past"
    verb = (ETRE_IMPARFAIT if past else ETRE)[subject.person]
    en = [_be_en(subject, past)] + (["not"] if negation else []) + [adjective.en]
    fr = ([verb] if not negation else ["ne", verb, "pas"]) + [adjective.agree(subject.gender, subject.plural)]
    return Phrase(subject.en + en, subject.fr + fr)


def age_clause(rng: _Rng, subject: Phrase, tense: str) -> Phrase:
    """X is N years old -> X a N ans (avoir, and 'un an' at one)."""
    n = 1 if rng.chance(0.03) else rng.integer(2, 99)
    past = tense == "past"
    en = [_be_en(subject, past), english_number(n), "year" if n == 1 else "years", "old"]
    fr = [(AVOIR_IMPARFAIT if past else AVOIR)[subject.person], french_number(n), "an" if n == 1 else "ans"]
    return Phrase(subject.en + en, subject.fr + fr)


def existential_clause(rng: _Rng, tense: str) -> Phrase:
    """There are twenty-one apples on the table -> Il y a vingt et une pommes sur la table."""
    noun = rng.pick(OBJECTS)
    thing = noun_phrase(rng, noun, det=rng.pick(("a", "number", "number", "some")), possessor=False)
    place = _location(rng)
    past = tense == "past"
    be = ("were" if thing.plural else "was") if past else ("are" if thing.plural else "is")
    return Phrase(["there", be] + thing.en + place.en, ["il", "y", "avait" if past else "a"] + thing.fr + place.fr)


def _date(rng: _Rng, tense: str) -> tuple[list[str], list[str], bool]:
    """An adverbial of time: (English, French, may stand at the front)."""
    r = rng.random()
    month_en, month_fr, days = rng.pick(MONTHS)
    day = rng.integer(1, days)
    day_fr = "1er" if day == 1 else str(day)
    if r < 0.45:
        en, fr = ["on", month_en, str(day)], ["le", day_fr, month_fr]
        if rng.chance(0.35):
            day_en, dayname_fr = rng.pick(DAYS)
            en, fr = ["on", day_en + ",", month_en, str(day)], ["le", dayname_fr, day_fr, month_fr]
        if rng.chance(0.35):
            year = str(rng.integer(1950, 2024))
            en, fr = en[:-1] + [en[-1] + ",", year], fr + [year]
        return en, fr, True
    if r < 0.55:
        return ["in", month_en], ["en", month_fr], True
    if r < 0.62:
        year = str(rng.integer(1950, 2024))
        return ["in", year], ["en", year], True
    if r < 0.8:
        hour = rng.integer(1, 12)
        if rng.chance(0.15):
            return (["at", "noon"], ["à", "midi"], False) if rng.chance(0.5) else \
                (["at", "midnight"], ["à", "minuit"], False)
        return ["at", english_number(hour), "o'clock"], ["à", french_number(hour, feminine=True),
                                                         "heure" if hour == 1 else "heures"], False
    if tense == "past":
        return ["yesterday"], ["hier"], True
    if r < 0.9:
        day_en, day_fr = rng.pick(DAYS)
        return ["every", day_en], ["tous", "les", day_fr + "s"], True
    return ["today"], ["aujourd'hui"], True


def clause(rng: _Rng, tense: str, negation: str | None) -> tuple[Phrase, bool]:
    """One clause and whether it can take a date adverbial."""
    r = rng.random()
    if r < 0.42:
        return transitive_clause(rng, person_phrase(rng, pronoun=True), tense, negation), True
    if r < 0.57:
        negation = "not" if negation == "never" else negation
        return motion_clause(rng, person_phrase(rng, pronoun=True), tense, negation), True
    if r < 0.82:
        person = rng.chance(0.4)
        subject = person_phrase(rng, pronoun=True) if person else None
        if subject is not None and subject.person == "vous":  # vous: singular or plural? keep it out
            subject = person_phrase(rng)
        return state_clause(rng, subject, tense, "not" if negation == "never" else negation), False
    if r < 0.9:
        subject = person_phrase(rng, pronoun=True)
        if subject.person == "vous":
            subject = person_phrase(rng)
        return age_clause(rng, subject, tense), False
    return existential_clause(rng, tense), True


def _tense_and_negation(rng: _Rng) -> tuple[str, str | None]:
    tense = "past" if rng.chance(0.45) else "present"
    r = rng.random()
    negation = None if r < 0.75 else ("never" if (r > 0.93 and tense == "present") else "not")
    return tense, negation


def _capitalise(words: list[str]) -> list[str]:
    return [words[0][:1].upper() + words[0][1:]] + words[1:] if words else words


def _join_en(words: list[str]) -> str:
    return re.sub(r" ([,.?])", r"\1", " ".join(_capitalise(words)))


def sentence_pair(rng: _Rng) -> tuple[str, str]:
    """One English sentence and its French translation."""
    if rng.chance(0.08):  # Does Paul like the red car? -> Est-ce que Paul aime la voiture rouge ?
        tense, _ = _tense_and_negation(rng)
        q = transitive_clause(rng, person_phrase(rng, pronoun=True), tense, None, question=True)
        return _join_en(q.en) + "?", finish_french(q.fr + ["?"])
    tense, negation = _tense_and_negation(rng)
    main, datable = clause(rng, tense, negation)
    en, fr = list(main.en), list(main.fr)
    if rng.chance(0.35):
        other, _ = clause(rng, tense, None if rng.chance(0.7) else "not")
        connective_en, connective_fr = rng.pick(CONNECTIVES)
        comma = [","] if connective_en == "but" else []
        en += comma + [connective_en] + other.en
        fr += comma + connective_fr.split() + other.fr
    if datable and rng.chance(0.4):
        date_en, date_fr, front = _date(rng, tense)
        if front and rng.chance(0.5):
            en, fr = date_en + [","] + en, date_fr + [","] + fr
        else:
            en, fr = en + date_en, fr + date_fr
    return _join_en(en) + ".", finish_french(fr + ["."])


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*'?|[^\sA-Za-z0-9]")


def english_tokens(sentence: str) -> list[str]:
    """Words (twenty-one, o'clock, man's count as one) and punctuation marks."""
    return _TOKEN.findall(sentence)


MIN_TOKENS, MAX_TOKENS = 5, 25
EMBEDDED_VERSION = "en-fr-grammar/v1"


def make_parallel(seed: int = 0, n_train: int = 20_000, n_val: int = 500, n_test: int = 1_000
                  ) -> dict[str, tuple[list[str], list[str]]]:
    """{"train"|"val"|"test": (English, French)}: distinct English sentences of 5-25 tokens.

    The test part is drawn first, then validation, then train, so changing
    n_train leaves the test pairs as they are.
    """
    rng = _Rng(seed)
    seen: set[str] = set()
    out = {}
    for part, n in (("test", n_test), ("val", n_val), ("train", n_train)):
        en_list, fr_list = [], []
        while len(en_list) < n:
            en, fr = sentence_pair(rng)
            if en in seen or not MIN_TOKENS <= len(english_tokens(en)) <= MAX_TOKENS:
                continue
            seen.add(en)
            en_list.append(en)
            fr_list.append(fr)
        out[part] = (en_list, fr_list)
    return out


def load_embedded_parallel(seed: int = 20261123, n_train: int = 20_000, n_val: int = 500,
                           n_test: int = 1_000) -> Split:
    parts = make_parallel(seed, n_train, n_val, n_test)
    return _split_of({k: list(zip(*v)) for k, v in parts.items()}, dict(
        name="en-fr-grammar", variant="embedded", version=EMBEDDED_VERSION,
        source=f"generated by bench/data/parallel.py make_parallel(seed={seed}): English->French with French "
               "number, date, agreement, article and word-order rules"))


# --------------------------------------------------------------------------- the dictionary baseline


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
        d[_EN_UNITS[k]] = _FR_UNITS[k] if k < 17 else "dix-" + _FR_UNITS[k - 10]
    for t in range(2, 10):
        d[_EN_TENS[t]] = french_number(10 * t)
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


DATASETS = (
    DatasetSpec(
        name="en-fr", title="English-French sentence pairs", folder=FOLDER, files=(), used_by=("exp05",),
        embedded="en-fr-grammar: 21,500 generated English->French pairs with French number, date, agreement "
                 "and word-order rules",
        find=find_parallel, read=lambda files, seed: load_parallel_files(files), generate=load_embedded_parallel,
    ),
)

load_parallel = DATASETS[0].load  # (data_dir=None, seed=None): real pairs if found (their own split), else generated
