"""The wording prior: how often a question worded like this one is answered by the documents at
all, from its wording alone (character n-grams weighed by a logistic regression that `make
train` fits on the labelled questions). One signal the judge weighs, never a verdict."""

from __future__ import annotations

import math
import re

from .lexicon import pattern
from .places import place_words, short
from .question import Part
from .slots import slots

NGRAMS = (1, 3)  # character n-grams of the question: what the wording alone says


def char_ngrams(text: str) -> list[str]:
    text = re.sub(r"\s+", "", text)
    return [text[i:i + n] for n in range(NGRAMS[0], NGRAMS[1] + 1) for i in range(len(text) - n + 1)]


def wording(part: Part, known: frozenset[str] = frozenset()) -> str:
    """The question as the wording prior reads it: the places it names masked (also a place of
    the corpus, `known`, in its short form: 岳麓 of 岳麓区), so that the prior learns how people
    ask, not which places the training corpora were about; a greeting dropped ("请问……": how
    politely one asks says nothing of whether the documents answer); and the words asking for a
    procedure, materials, an office or conditions masked (CORPUS_SLOTS)."""
    text = _GREETING.sub("", part.text)
    for slot, asked, _ in slots():
        if slot in CORPUS_SLOTS:
            text = asked.sub(SLOT_MASK, text)
    named = {n for k in known for n in (k, short(k)) if len(n) >= 2 and n in text}
    for place in sorted(set(part.places) | set(place_words(text)) | named, key=len, reverse=True):
        text = text.replace(place, PLACE_MASK)
    return text


PLACE_MASK = "某地"
# Whether the documents say how to apply, what to bring, where to go or who qualifies depends on
# the documents (a regulation does, a five-year plan does not), not on how the question is worded:
# the prior had learned "怎么申请" as out of scope from the plans, and refused "低保怎么申请" on
# regulations that describe the procedure (p 0.39). The slot's evidence in the quote decides that
# (judge.slot_missing). Masked, balanced accuracy with each corpus left out in turn 0.862 → 0.867,
# cross-validated 0.879 both; masking every slot: 0.869 and 0.874 (session 9).
CORPUS_SLOTS = ("procedure", "materials", "where", "conditions")
SLOT_MASK = "问"
_GREETING = pattern("greeting")


def asked_prior(text: str, fitted: dict) -> float:
    """How often a question worded like this one is answered by the documents at all, from its
    wording alone (a tf-idf of character n-grams weighed by a logistic regression that `make
    train` fits on the labelled questions): "今年…每月发多少钱", "…的电话是多少" are asked
    far more often than any policy document holds. One signal among the others, never a verdict:
    floored at PRIOR_FLOOR."""
    prior = fitted.get("prior")
    if not prior:
        return 0.5
    counts: dict[str, int] = {}
    for gram in char_ngrams(text):
        if gram in prior["ngrams"]:
            counts[gram] = counts.get(gram, 0) + 1
    weights = {g: (1 + math.log(c)) * prior["ngrams"][g][0] for g, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    z = prior["intercept"] + sum(w / norm * prior["ngrams"][g][1] for g, w in weights.items())
    return floored(1 / (1 + math.exp(-max(min(z, 30), -30))))


# Below this the wording prior says no more: how a question is worded may lift it, but never
# refuses it alone. Its character n-grams also learn the topics the training documents lacked
# (证 −1.9, 婚 −0.95 from the seed plans): "离婚登记需要哪些材料" was refused on the marriage
# regulation at a prior of 0.30, every other signal for it. Balanced accuracy with each corpus left
# out in turn (pooled cut): 0.858 → 0.862 with the judge fitted on the out-of-fold prior, 0.851 →
# 0.859 on the prior of the corpora left out; every floor from 0.3 to 0.6 gained. Train/dev
# correct 0.872/0.834 → 0.872/0.844, false refusals 0.032/0.068 → 0.030/0.057, out-of-scope
# refused 0.906/0.935 → 0.901/0.930. (0.5 gained a little more on dev but answered "低保户住房补贴
# 标准" with a passage on 低保标准, session 13.)
# Raised to 0.5 (session 15), with regulations6 among the corpora: held-out balanced accuracy
# 0.872 (floor 0.4), 0.874 (0.5), 0.877 (0.6), 0.876 (0.7), 0.866 (0.8). A deployer's table of
# 2025 standards had every row refused ("孤儿散居的每月生活费多少", p 0.42 at 0.4: the prior
# alone weighed −2.5), since every set we had asks amounts mostly of what documents leave open.
# 0.6 answered two of five of those rows (p 0.62; at 0.5 they stay refused, p 0.53), but let the
# regulations dev set's out-of-scope refused fall below its gate floor (0.912 → 0.895); 0.5 holds
# it. judge.prior_given closes the table's gap instead: a row stating the sum asked lifts the
# prior to 0.75. Train/dev correct 0.878/0.861 →
# 0.874/0.857, out-of-scope refused 0.916/0.920 → 0.911/0.920.
PRIOR_FLOOR = 0.5


def floored(probability: float) -> float:
    return max(probability, PRIOR_FLOOR)
