"""Data that libraries download on first use, which submissions cannot have: there is no network while grading.

nltk keeps its corpora and models (stop words, the punkt tokenizer, WordNet)
apart from the package, in nltk_data folders filled by `nltk.download()`. None
is installed where submissions run, and the download cannot reach the
internet, so the lab manual's `stopwords.words('english')` fails. The messages
here say so and name what needs no download.
"""

from __future__ import annotations

import re

# nltk's LookupError: "Resource 'stopwords' not found." (older releases colour the name instead of quoting it;
# the colour codes are gone once the text is cleaned).
_NLTK_RESOURCE = re.compile(r"Resource\s+'?([\w.\-/]+?)'?\s+not\s+found")

_INSTEAD = {
    "stopwords": "for English stop words, sklearn.feature_extraction.text.ENGLISH_STOP_WORDS (a frozenset), or "
                 "CountVectorizer(stop_words='english') / TfidfVectorizer(stop_words='english')",
    "punkt": "to split text into words, nltk.tokenize.wordpunct_tokenize(text) or "
             "nltk.tokenize.TreebankWordTokenizer().tokenize(text) (neither needs data), or re.findall(r'\\w+', text)",
    "wordnet": "nltk.stem.PorterStemmer() or nltk.stem.SnowballStemmer('english') instead of the WordNet "
               "lemmatizer (stemmers need no data)",
}
_ALIASES = {"punkt_tab": "punkt", "omw-1.4": "wordnet", "omw": "wordnet"}
_GENERAL = ("code that needs no downloaded data: scikit-learn's text tools (ENGLISH_STOP_WORDS, CountVectorizer, "
            "TfidfVectorizer), nltk.tokenize.wordpunct_tokenize, nltk.stem.PorterStemmer")


def nltk_resource(message: str) -> str | None:
    """The nltk data a LookupError's message says is missing ('stopwords'), or None for any other message."""
    match = _NLTK_RESOURCE.search(message)
    return match.group(1) if match and "nltk" in message.lower() else None


def nltk_fix(resource: str | None) -> str:
    """What to use instead of that nltk data (any nltk data when `resource` is None)."""
    name = (resource or "").rstrip("/").split("/")[-1]
    return _INSTEAD.get(_ALIASES.get(name, name), _GENERAL)


def nltk_message(resource: str | None, where: str) -> str:
    """The whole story, for a missing resource or a blocked `nltk.download()`; `where` says when it happened."""
    what = f"nltk's data '{resource}'" if resource else "nltk's data"
    return (f"{where} needed {what}, which is not installed where submissions are graded, and nltk.download() "
            "cannot fetch it: there is no network while grading. Expected: graded code that needs no downloaded "
            f"data. Fix: use {nltk_fix(resource)}; keep nltk.download(...) out of graded code (in a notebook, in an "
            "ungraded cell).")
