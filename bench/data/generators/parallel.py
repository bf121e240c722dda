"""`make_parallel`: the embedded default of the en-fr dataset, English->French pairs drawn from a seed that
follow real French grammar, built so that a word-for-word dictionary is far from enough:

* numbers in words with the French irregularities: vingt et un / vingt et une (agreement with the noun),
  soixante et onze, soixante-dix-sept, quatre-vingts but quatre-vingt-un, quatre-vingt-dix-neuf, deux cents
  but deux cent trois (traditional spelling), "at one o'clock" -> "à une heure";
* dates: "on March 3" -> "le 3 mars", "March 1" -> "le 1er mars", "on Monday, March 3, 1999" -> "le lundi 3
  mars 1999", months and days in lower case;
* adjectives after the noun (the red car -> la voiture rouge), a few before it (petit, grand, bon, joli,
  jeune, vieux, beau, nouveau, mauvais, long), with gender and number agreement (rouges, petite, blanches,
  heureuse) and bel/vieil/nouvel before a vowel; "des" -> "de" before a preceding adjective (de petites
  voitures); invariable marron;
* articles and determiners: le/la/l'/les, un/une/des, mon/ma/mes (mon before a vowel: mon assiette),
  son/sa/ses agreeing with the thing owned (her car -> sa voiture), ce/cet/cette/ces; contractions
  au/aux/du/des; elision j'/n'/l'/d'/qu'; places: au marché, à l'école, en France, au Japon, aux États-Unis,
  à Londres;
* conjugation of 18 verbs in the present, the passé composé (avoir, and être with participle agreement: elle
  est allée), the imperfect of être/avoir; negation ne ... pas / ne ... jamais around the verb, "pas de" for
  an indefinite object (I do not have a car -> je n'ai pas de voiture); participle agreement with a
  preceding object (la voiture que Paul a achetée); ages with avoir (he is 71 years old -> il a soixante et
  onze ans); "there are" -> "il y a"; questions with "est-ce que" and a space before '?';
* reordering: possessives (the boy's red bike -> le vélo rouge du garçon), adverbials at the front or the
  end, sentences of 5-25 English tokens made of one or two clauses (and, but, because, when).

The words are in `lexicon.py`, noun phrases in `phrases.py`, the surface rules in `french.py`; sizes,
calibration and what the pairs preserve of real parallel text are in bench/data/en_fr.py.
"""

from __future__ import annotations

import re

from .french import english_number, finish_french, french_number
from .lexicon import (AVOIR, AVOIR_IMPARFAIT, CITIES, CONNECTIVES, COUNTRIES, DAYS, ETRE, ETRE_IMPARFAIT,
                      MONTHS, OBJECTS, PERSONS, PLACES, PREPOSITIONS, VERBS, ALLER)
from .phrases import (ADJ_FOR, OBJECTS_FOR, PAST_VERBS, PLACES_FOR, RELATIVE_NOUNS, RELATIVE_VERBS, Phrase, Rng,
                      noun_phrase, person_phrase)


def _english_present(subject: Phrase, base: str, third: str) -> str:
    return third if subject.person == "il" else base


def _be_en(subject: Phrase, past: bool) -> str:
    if subject.person == "je":
        return "was" if past else "am"
    single = subject.person == "il"
    return ("was" if single else "were") if past else ("is" if single else "are")


def _do_en(subject: Phrase, past: bool) -> str:
    return "did" if past else ("does" if subject.person == "il" else "do")


def transitive_clause(rng: Rng, subject: Phrase, tense: str, negation: str | None,
                      question: bool = False) -> Phrase:
    """Subject, verb, object (and sometimes a place); a question asks it with do/does/did and est-ce que."""
    verb = rng.pick(PAST_VERBS if tense == "past" else VERBS)
    if "person" in verb.objects and rng.chance(0.3):
        obj = person_phrase(rng)
    else:
        obj = noun_phrase(rng, rng.pick(OBJECTS_FOR[verb.en]))
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
        form = verb.fr[PERSONS.index(subject.person)]
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


def _location(rng: Rng) -> Phrase:
    prep = rng.pick(tuple(PREPOSITIONS))
    np_ = noun_phrase(rng, rng.pick(PLACES_FOR[prep]), det=rng.pick(("the", "the", "poss", "this")), plural=False,
                      possessor=False)
    return Phrase([prep] + np_.en, PREPOSITIONS[prep].split() + np_.fr)


def motion_clause(rng: Rng, subject: Phrase, tense: str, negation: str | None) -> Phrase:
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


def _relative_subject(rng: Rng) -> Phrase:
    """the car that Paul bought -> la voiture que Paul a achetée (agreement with the preceding object)."""
    verb = rng.pick(RELATIVE_VERBS)
    noun = rng.pick(RELATIVE_NOUNS[verb.en])
    head = noun_phrase(rng, noun, det="the", possessor=False)
    inner = person_phrase(rng, possessor=False, pronoun=True)
    p = verb.participle
    agreed = p + ("e" if noun.gender == "f" else "") + ("s" if head.plural and not p.endswith("s") else "")
    return Phrase(head.en + ["that"] + inner.en + [verb.en[2]],
                  head.fr + ["que"] + inner.fr + [AVOIR[inner.person], agreed], noun.gender, head.plural, head.person,
                  kind=noun.kind)


def state_clause(rng: Rng, subject: Phrase | None, tense: str, negation: str | None) -> Phrase:
    """X is / was (not) ADJ, with agreement; a thing, a thing with a relative clause, or a person."""
    if subject is None:
        r = rng.random()
        subject = _relative_subject(rng) if r < 0.3 else noun_phrase(rng, rng.pick(OBJECTS), possessor=r < 0.7)
    adjective = rng.pick(ADJ_FOR[subject.kind][0] + ADJ_FOR[subject.kind][1])
    past = tense == "past"
    verb = (ETRE_IMPARFAIT if past else ETRE)[subject.person]
    en = [_be_en(subject, past)] + (["not"] if negation else []) + [adjective.en]
    fr = ([verb] if not negation else ["ne", verb, "pas"]) + [adjective.agree(subject.gender, subject.plural)]
    return Phrase(subject.en + en, subject.fr + fr)


def age_clause(rng: Rng, subject: Phrase, tense: str) -> Phrase:
    """X is N years old -> X a N ans (avoir, and 'un an' at one)."""
    n = 1 if rng.chance(0.03) else rng.integer(2, 99)
    past = tense == "past"
    en = [_be_en(subject, past), english_number(n), "year" if n == 1 else "years", "old"]
    fr = [(AVOIR_IMPARFAIT if past else AVOIR)[subject.person], french_number(n), "an" if n == 1 else "ans"]
    return Phrase(subject.en + en, subject.fr + fr)


def existential_clause(rng: Rng, tense: str) -> Phrase:
    """There are twenty-one apples on the table -> Il y a vingt et une pommes sur la table."""
    noun = rng.pick(OBJECTS)
    thing = noun_phrase(rng, noun, det=rng.pick(("a", "number", "number", "some")), possessor=False)
    place = _location(rng)
    past = tense == "past"
    be = ("were" if thing.plural else "was") if past else ("are" if thing.plural else "is")
    return Phrase(["there", be] + thing.en + place.en, ["il", "y", "avait" if past else "a"] + thing.fr + place.fr)


def _date(rng: Rng, tense: str) -> tuple[list[str], list[str], bool]:
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


def clause(rng: Rng, tense: str, negation: str | None) -> tuple[Phrase, bool]:
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


def _tense_and_negation(rng: Rng) -> tuple[str, str | None]:
    tense = "past" if rng.chance(0.45) else "present"
    r = rng.random()
    negation = None if r < 0.75 else ("never" if (r > 0.93 and tense == "present") else "not")
    return tense, negation


def _capitalise(words: list[str]) -> list[str]:
    return [words[0][:1].upper() + words[0][1:]] + words[1:] if words else words


def _join_en(words: list[str]) -> str:
    return re.sub(r" ([,.?])", r"\1", " ".join(_capitalise(words)))


def sentence_pair(rng: Rng) -> tuple[str, str]:
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
    rng = Rng(seed)
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

