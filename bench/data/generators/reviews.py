"""`review_corpus`: the embedded default of IMDB, movie reviews drawn from a seed.

Exactly balanced (0 negative, 1 positive), mostly 40-130 words (real IMDB reviews average over 200). Each
mixes neutral plot summary (titles, actors, genres, roles, years), opinion sentences about aspects (acting,
plot, score, ...) that agree with the label with a per-review probability of ~0.8 (so some reviews are
genuinely mixed), contrast sentences ("The plot was dull, but the cast was superb.") that carry no net
signal, and, in half of them, a verdict ("3/10.", "Skip it."). About 40% of opinions negate the opposite
adjective: "not good", "wasn't bad at all", "never boring", "hardly convincing", "nothing original", "not very
funny". Negation falls mostly on the six commonest adjectives of each polarity ("good", "funny", "bad",
"boring", ...), which plain opinions also use, so a unigram model cannot read them alone; rarer adjectives
("superb", "atrocious") are rarely negated. Paragraphs are joined with `<br /><br />`, and `&amp;`, `&quot;`,
`&#39;`, `<i>...</i>` appear, as in the raw IMDB files.

~0.4 s for 3,000 reviews on one core. The knobs (`_REVIEWS`) are calibrated by the measurements in
tests/test_data_text.py; what the corpus preserves of IMDB is in bench/data/imdb.py.
"""

from __future__ import annotations

import re

import numpy as np

REVIEWS_VERSION = "movie-reviews/v1"

# Adjectives by polarity. The first ones of each list are the commonest and the ones most often negated,
# as in real reviews ("not good", "not bad", "not funny", "never boring").
_POS_ADJ = """good great funny interesting believable convincing enjoyable original entertaining clever
    memorable impressive engaging exciting beautiful moving solid charming touching gripping brilliant
    excellent wonderful superb fantastic powerful stunning delightful outstanding witty compelling
    likable fresh satisfying smart""".split()
_NEG_ADJ = """bad boring dull predictable stupid weak silly slow confusing annoying lame unfunny
    pointless ridiculous forgettable bland tedious cheesy awkward shallow clumsy mediocre flat wooden
    terrible awful horrible painful dreadful unwatchable laughable atrocious incoherent lazy""".split()
_ASPECTS = ["acting", "plot", "story", "script", "dialogue", "direction", "cinematography", "soundtrack", "score",
            "pacing", "ending", "cast", "editing", "humor", "villain", "screenplay", "photography", "music",
            "writing", "premise", "finale", "twist", "atmosphere", "characterization", "camera work",
            "lead actress", "lead actor", "supporting cast", "main character", "set design", "CGI"]
_INTENS = ("very", "really", "quite", "pretty", "truly", "extremely", "rather", "so", "incredibly")
_GENRES = ("horror movie", "comedy", "thriller", "drama", "western", "musical", "war film", "romance",
           "sci-fi film", "documentary", "cop movie", "cartoon", "mystery", "sequel", "remake", "biopic")
_ROLES = ("detective", "young woman", "farmer", "soldier", "teacher", "journalist", "scientist", "priest",
          "lawyer", "nurse", "boxer", "singer", "widow", "student", "thief", "cowboy", "doctor", "pilot")
_PLACES = ("a small town", "New York", "the desert", "a haunted house", "Paris", "a spaceship", "the war",
           "high school", "a prison", "the jungle", "London", "a farm", "the suburbs", "Tokyo", "the future")
_PLOT_VERBS = ("falls in love", "goes missing", "tries to escape", "uncovers a secret", "returns home",
               "seeks revenge", "loses everything", "meets a stranger", "joins a gang", "starts a band",
               "solves a murder", "fights for survival")
_FIRST = ("Tom", "Meryl", "Jack", "Julia", "Robert", "Kate", "Denzel", "Emma", "Morgan", "Nicole", "Bruce",
          "Sandra", "Kevin", "Cate", "Samuel", "Helen", "Al", "Jodie", "Clint", "Diane", "Steve", "Anne")
_LAST = ("Hanks", "Streep", "Nicholson", "Roberts", "De Niro", "Winslet", "Washington", "Thompson", "Freeman",
         "Kidman", "Willis", "Bullock", "Spacey", "Blanchett", "Jackson", "Mirren", "Pacino", "Foster",
         "Eastwood", "Keaton", "Martin", "Hathaway")
_TITLE_A = ("Last", "Dark", "Silent", "Broken", "Lost", "Red", "Endless", "Hidden", "Final", "Golden", "Wild")
_TITLE_B = ("Night", "River", "Summer", "Road", "Promise", "Kingdom", "Storm", "Garden", "Game", "Heart",
            "City", "Winter")

# Opinion sentences. {P}: an adjective of the sentence's polarity; {Q}: of the opposite polarity (negated);
# {S}: an aspect; {I}: an intensifier; {T}: the title.
_PLAIN = (
    "The {S} was {I} {P}.", "The {S} is {P}.", "I thought the {S} was {P}.", "What a {P} {S}.",
    "The {S} and the {S} were both {P}.", "It is a {I} {P} film.", "{T} is {P} from start to finish.",
    "Overall the {S} felt {P}.", "The {S} is {I} {P} and the {S} is {P}.", "Honestly, the {S} was {P}.",
    "{T} has a {P} {S}.", "I found the {S} {P}.", "It was {P}, {I} {P}.",
)
_NEGATED = (
    "The {S} was not {Q}.", "The {S} wasn't {Q} at all.", "It was never {Q}.", "The {S} is hardly {Q}.",
    "I didn't find the {S} {Q}.", "There is nothing {Q} about the {S}.", "The {S} isn't {Q}.",
    "Not {Q} at all.", "It's not {Q}, not even the {S}.", "The {S} never felt {Q}.",
    "I wouldn't call the {S} {Q}.", "The {S} was not {I} {Q}.", "Nobody could call {T} {Q}.",
    "The {S} could not be less {Q}.", "It was not {Q} in any way.", "Far from {Q}.",
)
_VERDICT = {
    1: ("Highly recommended.", "Definitely worth watching.", "{R}/10.", "I would watch it again.",
        "Go see it.", "A must see.", "I loved it.", "Don't miss this one."),
    0: ("Avoid this one.", "Not worth watching.", "{R}/10.", "Skip it.", "What a waste of time.",
        "Don't waste your money.", "I want my two hours back.", "Not recommended."),
}
_CONTRAST = ("The {S} was {P}, but the {S} was {Q}.", "Although the {S} is {Q}, the {S} is {P}.",
             "The {S} is {P} while the {S} is {Q}.")
_NEUTRAL = (
    "The story follows a {role} who {plot} in {place}.", "{Name} plays a {role} who {plot}.",
    "I saw {T} on TV last {day}.", "It was released in {year} and is a {genre}.",
    "{T} is a {genre} set in {place}.", "The film is about a {role} and a {role} in {place}.",
    "I rented this {genre} because of {Name}.", "It runs about {mins} minutes.",
    "{Name} &amp; {Name} star as a {role} and a {role}.", "My {relative} and I watched it last {day}.",
    "The {genre} was directed by {Name} in {year}.", "Later the {role} {plot}, and things change.",
)


# The generator's knobs, calibrated in tests/test_data_text.py.
_REVIEWS = dict(
    agree=(9.0, 2.0),  # per review, P(an opinion agrees with the label) ~ beta(a, b), clipped to [0.5, 0.98]
    opinions=(1.9, 0.5),  # opinion sentences: lognormal(mu, sigma), clipped to [2, 14]
    neutral=(1, 7),  # plot sentences, uniform integer range
    contrast=0.1,  # share of opinions that are contrast sentences (both polarities, no net signal)
    negated=0.45,  # share of the other opinions said by negating the opposite adjective
    common=0.5,  # share of plain adjectives drawn from the six commonest of each polarity
    negated_common=0.95,  # the same share for negated adjectives: negation mostly hits common words
    verdict=(0.5, 0.9),  # P(a closing verdict), P(it agrees with the label)
)
_N_COMMON = 6
_DAYS = ("night", "weekend", "Sunday", "Friday", "week")
_RELATIVES = ("wife", "husband", "brother", "sister", "friend", "girlfriend", "dad", "mom")


def _review_form(template: str) -> tuple[str, tuple[str, ...]]:
    return re.sub(r"\{\w+\}", "{}", template), tuple(re.findall(r"\{(\w+)\}", template))


_PLAIN_F, _NEGATED_F, _CONTRAST_F, _NEUTRAL_F = ([_review_form(t) for t in group] for group in
                                                 (_PLAIN, _NEGATED, _CONTRAST, _NEUTRAL))
_VERDICT_F = {k: [_review_form(t) for t in v] for k, v in _VERDICT.items()}


def _review(rng: np.random.Generator, label: int) -> str:
    R = _REVIEWS
    title = f"The {_TITLE_A[rng.integers(len(_TITLE_A))]} {_TITLE_B[rng.integers(len(_TITLE_B))]}"
    r = rng.random()
    title_text = f"&quot;{title}&quot;" if r < 0.3 else (f"<i>{title}</i>" if r < 0.36 else title)

    def pick(seq):
        return seq[rng.integers(len(seq))]

    def adjective(positive: bool, common: float) -> str:
        pool = _POS_ADJ if positive else _NEG_ADJ
        return pool[rng.integers(_N_COMMON)] if rng.random() < common else pool[rng.integers(_N_COMMON, len(pool))]

    def fill(form: tuple[str, tuple[str, ...]], positive: bool) -> str:
        values = []
        for key in form[1]:
            if key == "P":
                values.append(adjective(positive, R["common"]))
            elif key == "Q":  # the opposite adjective, negated by the template
                values.append(adjective(not positive, R["negated_common"]))
            elif key == "S":
                values.append(pick(_ASPECTS))
            elif key == "I":
                values.append(pick(_INTENS))
            elif key == "T":
                values.append(title_text)
            elif key == "R":
                values.append(str(rng.integers(7, 11) if positive else rng.integers(1, 5)))
            elif key == "Name":
                values.append(f"{pick(_FIRST)} {pick(_LAST)}")
            elif key == "year":
                values.append(str(rng.integers(1950, 2010)))
            elif key == "mins":
                values.append(str(rng.integers(80, 180)))
            else:
                values.append(pick({"role": _ROLES, "plot": _PLOT_VERBS, "place": _PLACES, "genre": _GENRES,
                                    "day": _DAYS, "relative": _RELATIVES}[key]))
        return form[0].format(*values)

    agree = float(np.clip(rng.beta(*R["agree"]), 0.5, 0.98))
    sentences = []
    for _ in range(int(np.clip(rng.lognormal(*R["opinions"]), 2, 14))):
        positive = bool(label) if rng.random() < agree else not label
        r = rng.random()
        if r < R["contrast"]:
            sentences.append(fill(pick(_CONTRAST_F), rng.random() < 0.5))
        elif r < R["contrast"] + R["negated"] * (1 - R["contrast"]):
            sentences.append(fill(pick(_NEGATED_F), positive))
        else:
            sentences.append(fill(pick(_PLAIN_F), positive))
    for _ in range(int(rng.integers(*R["neutral"]))):
        sentences.insert(int(rng.integers(len(sentences) + 1)), fill(pick(_NEUTRAL_F), True))
    p_verdict, verdict_agree = R["verdict"]
    if rng.random() < p_verdict:
        positive = bool(label) if rng.random() < verdict_agree else not label
        sentences.append(fill(pick(_VERDICT_F[int(positive)]), positive))
    sentences = [s[0].upper() + s[1:] for s in sentences]
    sentences = [s.replace("'", "&#39;") if rng.random() < 0.03 else s for s in sentences]
    paragraphs, i = [], 0
    while i < len(sentences):
        k = int(rng.integers(2, 6))
        paragraphs.append(" ".join(sentences[i : i + k]))
        i += k
    return "<br /><br />".join(paragraphs)


def review_corpus(seed: int, n: int) -> tuple[list[str], np.ndarray]:
    """n reviews, half positive (1) and half negative (0) (n odd: one more negative), in random order."""
    rng = np.random.default_rng([seed, 5])
    y = rng.permutation(np.arange(n) % 2).astype(np.int64)
    return [_review(rng, int(label)) for label in y], y
