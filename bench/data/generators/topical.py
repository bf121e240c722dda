"""`topical_corpus`: the embedded default of 20 Newsgroups, newsgroup-style posts drawn from a seed.

Posts on 12 topics modelled on 20 Newsgroups groups (`TOPICS`: three computer groups, autos and motorcycles,
baseball and hockey, space, medicine, cryptography, gun politics, religion), classes balanced. Each post has
mail headers (From, Subject, Organization, Lines) drawn independently of its topic, sometimes a quoted reply
("In article <...>, ... writes:" and "> " lines) and a signature. Its body is English-like sentences from 54
templates ("Has anyone tried a cheap simm with the controller?"), wrapped at 72 columns, whose content slots
mix, with per-post weights:
- the topic's own words (37-51 hand-written words and their plurals, Zipfian);
- words its family shares (computer, vehicle, sport, science, politics);
- words of a second topic, usually a related one (the other sport, another computer group, crypto <-> guns):
  weak in most posts, half to fully as strong as the post's own topic in a fifth of them (cross-posts);
- a general vocabulary (~230 nouns, ~70 verbs, ~100 adjectives, and rarer derived forms: "friendship",
  "cheaply");
- a register (question / argument / report / chat) that families lean to.
The pools (`topical_words.py`) hold ~4,300 distinct words. Posts reuse a small subset of each pool
(burstiness); topic strength, length (2 to 40 sentences, longer in the talk groups) vary per post; ~5% of
words are misspelt; numbers, prices, versions, years, phone numbers and e-mail addresses give the lab's
preprocessing digits and punctuation to strip.

Vectorized over the corpus: ~0.2 s for 4,000 posts on one core. The knobs (`_NEWS`, `_STYLE`, `_BURST`) are
calibrated by the measurements in tests/test_data_text.py; what the corpus preserves of 20 Newsgroups is in
bench/data/newsgroups.py.
"""

from __future__ import annotations

import re

import numpy as np

from .topical_words import (FAMILY_WORDS, GENERAL_ADJS, GENERAL_NOUNS, GENERAL_VERBS, HOSTS, NAMES, ORGS,
                            REGISTER_P, REGISTERS, RELATED, SURNAMES, TEMPLATES, TOPIC_FAMILY, TOPIC_WORDS, TOPICS)

TOPICAL_VERSION = "topical-news/v1"

def _compile(template: str) -> tuple[str, tuple[int, ...]]:
    """A template as a str.format pattern and its slot kinds (indices into _KINDS)."""
    return re.sub(r"\{[NVAXM]\}", "{}", template), tuple(_KINDS.index(k) for k in re.findall(r"\{([NVAXM])\}",
                                                                                            template))


_KINDS = "NVAXM"  # content word, general verb, adjective, number, first name
_SUBJECTS = ("{N} {N}", "Re: {N} {N}", "{A} {N}?", "Re: {A} {N} for {N}", "Help with {N}", "{N} question",
             "Re: {N} and {N}", "WANTED: {A} {N}", "Re: {N}", "Summary: {N} {N}")
_FORMS = [_compile(t.strip()) for t in TEMPLATES] + [_compile(t) for t in _SUBJECTS]
_N_SENTENCE_FORMS = len(TEMPLATES)
_FAMILIES = ("comp", "vehicles", "sport", "science", "politics")

# The generator's knobs, calibrated against the lab's model ordering (tests/test_data_text.py). Changing
# any of them changes the corpus: bump TOPICAL_VERSION.
_NEWS = dict(
    strength=(2.0, 4.5, 0.55, 0.13),  # own-topic share of content slots: beta(a, b) * scale + floor, x style
    family=(0.05, 0.20),  # family words' share, uniform
    cross=(0.22, (0.5, 1.05), (0.0, 0.25)),  # P(strong cross-post); second topic's share relative to own
    related=0.7,  # P(the second topic is a related one)
    register=(0.5, 0.9),  # share of the remaining slots that take the post's register words, uniform
    length=2.1,  # log median number of body sentences, + style
    adj_content=0.25,  # share of adjective slots that take a content word ("a clipper proposal")
    quote=0.35,  # P(a quoted reply of 1-3 sentences)
    signature=0.5,  # P(a signature)
    topic_zipf=0.6,  # Zipf exponent of each topic's words (then their plurals, rarer)
    general_zipf=0.8,  # Zipf exponent of general nouns and adjectives (then their derived forms, rarer)
    typo=0.05,  # P(a word is misspelt): real text's long tail of rare tokens
)


def _typo(word: str, r: int) -> str:
    """A misspelling: two letters swapped, one dropped or one doubled."""
    if len(word) < 4:
        return word
    i = 1 + r % (len(word) - 2)
    kind = (r >> 8) % 3
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


_NOUN_SUFFIXES = ("s", "less", "ful", "ish", "like", "hood", "ship", "ward", "work", "side")
_ADJ_SUFFIXES = ("ly", "ness", "er", "est", "ish")


def _expand(words: list[str], suffixes: tuple[str, ...]) -> list[str]:
    """The words, then each with each suffix (a long tail of rarer forms under the Zipf weights, as real
    text has: its vocabulary is mostly words seen once or twice)."""
    seen, out = set(), []
    for w in list(words) + [_attach(w, s) for s in suffixes for w in words]:
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _attach(word: str, suffix: str) -> str:
    if suffix == "s":
        if word.endswith("y") and word[-2:-1] not in "aeiou":
            return word[:-1] + "ies"
        return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")
    if word.endswith("e") and suffix[0] in "aeiouy":
        word = word[:-1]
    elif word.endswith("y") and word[-2:-1] not in "aeiou":
        word = word[:-1] + "i"
    return word + suffix


# Per family: (log length offset, own-topic strength factor, own-topic burstiness). Computer posts are short
# and dense; talk posts long, wordy and repetitive.
_STYLE = {"comp": (-0.2, 1.15, 0.6), "vehicles": (-0.1, 1.0, 0.7), "sport": (-0.1, 1.0, 0.85),
          "science": (0.1, 0.9, 0.7), "politics": (0.4, 0.7, 0.85)}
# Per content source (own topic, family, second topic, general, register): the size range of the post's
# own subset of that pool and the share of draws taken from it (burstiness; own topic's share is per style).
_BURST = (((6, 16), None), ((3, 8), 0.5), ((2, 5), 0.7), ((8, 20), 0.5), ((4, 10), 0.5))


def _zipf(n: int, s: float) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** s
    cum = np.cumsum(w / w.sum())
    cum[-1] = 1.0
    return cum


class _Pools:
    """Every word pool in one array; pool q's cumulative Zipf weights are shifted by q, so a single
    searchsorted(cum, q + u) draws from pool q for a whole vector of (q, u) at once."""

    def __init__(self):
        pools = [(_expand(TOPIC_WORDS[t].split(), ("s",)), _NEWS["topic_zipf"]) for t in TOPICS]
        pools += [(FAMILY_WORDS[f].split(), 0.4) for f in _FAMILIES]
        pools += [(_expand(GENERAL_NOUNS, _NOUN_SUFFIXES), _NEWS["general_zipf"])]
        pools += [(w.split(), 0.3) for w in REGISTERS.values()]
        pools += [(GENERAL_VERBS, 0.8), (_expand(GENERAL_ADJS, _ADJ_SUFFIXES), _NEWS["general_zipf"])]
        self.words = np.array([w for words, _ in pools for w in words], dtype=object)
        self.cum = np.concatenate([q + _zipf(len(words), s) for q, (words, s) in enumerate(pools)])
        self.family0 = len(TOPICS)
        self.general = self.family0 + len(_FAMILIES)
        self.register0 = self.general + 1
        self.verbs = self.register0 + len(REGISTERS)
        self.adjs = self.verbs + 1

    def draw(self, pool: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Global word indices, one per (pool, uniform) pair."""
        return np.searchsorted(self.cum, pool + np.minimum(u, 1 - 1e-9), side="right")


_POOLS: _Pools | None = None


def _pools() -> _Pools:
    global _POOLS
    if _POOLS is None:
        _POOLS = _Pools()
    return _POOLS


_RELATED_TABLE = np.array([[TOPICS.index(r) for r in (RELATED[t] * 2)[:2]] for t in TOPICS])
_RELATED_COUNT = np.array([len(RELATED[t]) for t in TOPICS])
_FAMILY_OF = np.array([_FAMILIES.index(f) for f in TOPIC_FAMILY])
_STYLE_TABLE = np.array([_STYLE[f] for f in _FAMILIES])
_REGISTER_CUM = np.cumsum([REGISTER_P[f] for f in _FAMILIES], axis=1)
_WRAP = re.compile(r"(.{1,72})(?: +|$)")


def _numbers(rng: np.random.Generator, m: int) -> list[str]:
    """Number-like tokens: prices, versions, years, percentages, phone numbers, counts."""
    kind, a, b, c = rng.integers(8, size=m), rng.integers(2, 500, m), rng.integers(0, 20, m), rng.integers(70, 94, m)
    forms = (lambda a, b, c: f"${a * 6}", lambda a, b, c: f"{a % 9 + 1}.{b % 10}", lambda a, b, c: f"19{c}",
             lambda a, b, c: f"{a % 98 + 2}%", lambda a, b, c: f"v{a % 5 + 1}.{b}",
             lambda a, b, c: f"({a + 200}) 555-{a * 17 + 1000}", lambda a, b, c: str(a), lambda a, b, c: str(b + 2))
    return [forms[k](x, y, z) for k, x, y, z in zip(kind.tolist(), a.tolist(), b.tolist(), c.tolist())]


def topical_corpus(seed: int, n: int) -> tuple[list[str], np.ndarray]:
    """n newsgroup-style posts, classes as balanced as n allows, in random order. Vectorized over the corpus:
    every random choice is drawn for all posts at once, then the posts are assembled."""
    rng = np.random.default_rng([seed, 3])
    pools, P = _pools(), _NEWS
    n_topics = len(TOPICS)
    y = rng.permutation(np.arange(n) % n_topics).astype(np.int64)
    fam = _FAMILY_OF[y]
    style = _STYLE_TABLE[fam]

    # Each post's mixture over content sources: own topic, family, second topic, general nouns, register.
    related = _RELATED_TABLE[y, rng.integers(0, 2, n) % _RELATED_COUNT[y]]
    other = np.where(rng.random(n) < P["related"], related, (y + rng.integers(1, n_topics, n)) % n_topics)
    a, b, scale, floor = P["strength"]
    strength = (rng.beta(a, b, n) * scale + floor) * style[:, 1]
    family_w = rng.uniform(*P["family"], n)
    p_strong, strong, weak = P["cross"]
    cross = strength * np.where(rng.random(n) < p_strong, rng.uniform(*strong, n), rng.uniform(*weak, n))
    register = (rng.random(n)[:, None] > _REGISTER_CUM[fam]).sum(1)
    register_w = rng.uniform(*P["register"], n)
    rest = np.clip(1.0 - strength - family_w - cross, 0.0, None)
    mix = np.stack([strength, family_w, cross, rest * (1 - register_w), rest * register_w], axis=1)
    mix_cum = np.cumsum(mix / mix.sum(1, keepdims=True), axis=1)
    source_pool = np.stack([y, pools.family0 + fam, other, np.full(n, pools.general), pools.register0 + register], 1)

    # Each post's own subsets of its pools (burstiness): up to 20 global word indices per source.
    subset_size = np.stack([rng.integers(lo, hi, n) for (lo, hi), _ in _BURST], axis=1)
    subsets = pools.draw(source_pool[:, :, None], rng.random((n, 5, 20)))
    p_subset = np.stack([style[:, 2]] + [np.full(n, p) for _, p in _BURST[1:]], axis=1)

    # Sentences: a subject line, 0-3 quoted sentences, the body.
    n_body = np.clip(rng.lognormal(P["length"] + style[:, 0], 0.65), 2, 40).astype(np.int64)
    n_quote = np.where(rng.random(n) < P["quote"], rng.integers(1, 4, n), 0)
    per_doc = 1 + n_quote + n_body
    first = np.concatenate([[0], np.cumsum(per_doc)[:-1]])
    forms = rng.integers(_N_SENTENCE_FORMS, size=int(per_doc.sum()))
    forms[first] = _N_SENTENCE_FORMS + rng.integers(len(_SUBJECTS), size=n)
    sentence_doc = np.repeat(np.arange(n), per_doc)

    # Slots of every sentence, in order, and their values.
    kinds_of = [_FORMS[f][1] for f in forms.tolist()]
    n_slots = np.array([len(k) for k in kinds_of])
    kind = np.fromiter((k for ks in kinds_of for k in ks), dtype=np.int64, count=int(n_slots.sum()))
    doc = np.repeat(sentence_doc, n_slots)
    kind[(kind == 2) & (rng.random(len(kind)) < P["adj_content"])] = 0
    values = np.empty(len(kind), dtype=object)

    content = np.flatnonzero(kind == 0)
    d = doc[content]
    source = (rng.random(len(content))[:, None] > mix_cum[d, :4]).sum(1)
    direct = pools.draw(source_pool[d, source], rng.random(len(content)))
    picked = subsets[d, source, (rng.random(len(content)) * subset_size[d, source]).astype(np.int64)]
    values[content] = pools.words[np.where(rng.random(len(content)) < p_subset[d, source], picked, direct)]
    for k, pool in ((1, pools.verbs), (2, pools.adjs)):
        where = np.flatnonzero(kind == k)
        values[where] = pools.words[pools.draw(np.full(len(where), pool), rng.random(len(where)))]
    where = np.flatnonzero(kind == 3)
    values[where] = _numbers(rng, len(where))
    where = np.flatnonzero(kind == 4)
    values[where] = [NAMES[i].title() for i in rng.integers(len(NAMES), size=len(where)).tolist()]

    values = values.tolist()
    typos = np.flatnonzero((kind <= 2) & (rng.random(len(kind)) < P["typo"]))
    for i, r in zip(typos.tolist(), rng.integers(0, 1 << 30, len(typos)).tolist()):
        values[i] = _typo(values[i], r)
    bounds = np.concatenate([[0], np.cumsum(n_slots)]).tolist()
    sentences = [_FORMS[f][0].format(*values[bounds[i]:bounds[i + 1]]) for i, f in enumerate(forms.tolist())]

    # Assemble the posts.
    people = rng.integers(0, 1 << 30, size=(n, 8)).tolist()
    breaks = rng.integers(1, 5, size=int(per_doc.sum())).tolist()
    has_signature = (rng.random(n) < P["signature"]).tolist()
    signature_numbers = _numbers(rng, n)
    posts = []
    for i in range(n):
        s0, q, nb = int(first[i]), int(n_quote[i]), int(n_body[i])
        body_sentences = [s[0].upper() + s[1:] for s in sentences[s0 + 1 + q : s0 + 1 + q + nb]]
        paragraphs, j = [], 0
        while j < nb:
            k = breaks[s0 + j]
            paragraphs.append("\n".join(_WRAP.findall(" ".join(body_sentences[j : j + k]))))
            j += k
        body = "\n\n".join(paragraphs)
        r = people[i]
        first_name, last_name = NAMES[r[0] % len(NAMES)], SURNAMES[r[1] % len(SURNAMES)]
        host = HOSTS[r[2] % len(HOSTS)]
        user = f"{first_name[0]}{last_name}" if r[3] % 2 else f"{first_name}{r[3] % 97 + 1}"
        if q:
            quoted = "\n".join("> " + ln for ln in _WRAP.findall(" ".join(sentences[s0 + 1 : s0 + 1 + q])))
            who = f"{NAMES[r[4] % len(NAMES)]}@{HOSTS[r[5] % len(HOSTS)]}"
            body = f"In article <{r[6] % 900000 + 100000}@{host}>, {who} writes:\n{quoted}\n\n{body}"
        if has_signature[i]:
            body += f"\n\n-- \n{first_name.title()} {last_name.title()}   {user}@{host}   {signature_numbers[i]}"
        posts.append(f"From: {user}@{host} ({first_name.title()} {last_name.title()})\n"
                     f"Subject: {sentences[s0]}\nOrganization: {ORGS[r[7] % len(ORGS)]}\n"
                     f"Lines: {body.count(chr(10)) + 1}\n\n{body}\n")
    return posts, y

