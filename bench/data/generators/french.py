"""French surface rules the parallel generator writes with: elision, contractions and spacing
(`finish_french`), and numbers in words in French and English."""

from __future__ import annotations

import re

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


FR_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
             "treize", "quatorze", "quinze", "seize")
_FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def french_number(n: int, feminine: bool = False) -> str:
    """1-999 in words, traditional spelling: vingt et un(e), soixante et onze, quatre-vingts, deux cents."""
    if not 0 < n < 1000:
        raise ValueError(f"french_number takes 1-999, got {n}")

    def unit(k):
        return "une" if (k == 1 and feminine) else FR_UNITS[k]

    def below_100(k):
        if k < 17:
            return unit(k)
        if k < 20:
            return "dix-" + FR_UNITS[k - 10]
        tens, u = divmod(k, 10)
        if tens == 7:
            return "soixante et onze" if u == 1 else "soixante-" + below_100(10 + u)
        if tens == 8:
            return "quatre-vingts" if u == 0 else "quatre-vingt-" + unit(u)
        if tens == 9:
            return "quatre-vingt-" + below_100(10 + u)
        word = _FR_TENS[tens]
        return word if u == 0 else word + (" et " + unit(1) if u == 1 else "-" + FR_UNITS[u])

    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return below_100(rest)
    head = "cent" if hundreds == 1 else FR_UNITS[hundreds] + " cent"
    if rest == 0:
        return head + ("s" if hundreds > 1 else "")
    return head + " " + below_100(rest)


EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def english_number(n: int) -> str:
    """1-999 in words: twenty-one, three hundred and five."""
    hundreds, rest = divmod(n, 100)
    tens, u = divmod(rest, 10)
    small = EN_UNITS[rest] if rest < 20 else EN_TENS[tens] + ("-" + EN_UNITS[u] if u else "")
    if not hundreds:
        return small
    return EN_UNITS[hundreds] + " hundred" + (" and " + small if rest else "")

