"""Defect: accents are folded with a table made for Latin-1 (20 Newsgroups' encoding), indexed by
code point, so any character above U+00FF ('€', 'ő', '中', an emoji) raises IndexError.

Latin-1 text, and so every English-like word list, is cleaned exactly as the reference does.
The models are the reference's.
"""
import unicodedata

from reference_solution import clean_words, predict, train_model  # noqa: F401

# 'é' -> 'e', 'ß' -> 'ß', '©' -> '©': each Latin-1 character without its accents
_FOLD = [unicodedata.normalize("NFKD", chr(i))[0] if chr(i).isalpha() else chr(i) for i in range(256)]


def preprocess(text):
    folded = "".join(_FOLD[ord(c)] for c in text)  # the defect: IndexError past U+00FF
    return " ".join(clean_words(folded))
