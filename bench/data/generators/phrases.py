"""Noun phrases and people, in English and French at once, with the agreement French needs; and the random
draws the parallel generator makes (`Rng`)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .french import english_number, french_number, starts_with_vowel
from .lexicon import ADJECTIVES, NAMES, OBJECTS, PEOPLE, PLACES, POSSESSIVES, PREPOSITIONS, THINGS, VERBS, Noun


class Rng:
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


def _number(rng: Rng) -> int:
    """2-99 mostly (where the irregular forms are), sometimes 100-999 with round hundreds (deux cents)."""
    if rng.chance(0.8):
        return rng.integer(2, 99)
    return 100 * rng.integer(1, 9) + (0 if rng.chance(0.15) else rng.integer(1, 99))


_KINDS = ("person", "thing", "food", "animal", "place")
ADJ_FOR = {k: ([a for a in ADJECTIVES if k in a.kinds and a.before],
                [a for a in ADJECTIVES if k in a.kinds and not a.before]) for k in _KINDS}
OBJECTS_FOR = {v.en: [n for n in OBJECTS + PEOPLE if n.kind in v.objects or n.tags & v.objects] for v in VERBS}
PLACES_FOR = {p: [n for n in THINGS + PLACES if p in n.tags or (p == "in" and n.kind == "place")]
               for p in PREPOSITIONS}
PAST_VERBS = [v for v in VERBS if v.past]
RELATIVE_VERBS = [v for v in VERBS if v.past and v.objects & {"thing", "open", "wear"}]
RELATIVE_NOUNS = {v.en: [n for n in OBJECTS_FOR[v.en] if n.kind == "thing"] for v in RELATIVE_VERBS}


def _adjectives(rng: Rng, noun: Noun, p_before: float = 0.3, p_after: float = 0.45):
    before, after = ADJ_FOR[noun.kind]
    return (rng.pick(before) if before and rng.chance(p_before) else None,
            rng.pick(after) if after and rng.chance(p_after) else None)


def noun_phrase(rng: Rng, noun: Noun, det: str | None = None, plural: bool | None = None,
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


def person_phrase(rng: Rng, possessor: bool = True, pronoun: bool = False) -> Phrase:
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

