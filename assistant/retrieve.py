"""Hybrid retrieval: dense (Chroma) and jieba BM25 fused by their relative scores, with boosts."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .index import Index
from .named import named_articles_first, record_first
from .places import of_place
from .rows import names_indicator
from .quantities import aged_in_band, asks_count, asks_quantity, counted, unit_stated
from .question import Part, part
from .slots import slots
from .schema import Hit

CANDIDATES = 40
# The dense ranker's share in fusion; chosen on the seed train/dev and regulation dev sets
# (0.5–0.7 tie on hit@5; 0.6 had the best MRR on both corpora's dev sets).
DENSE_WEIGHT = 0.6
# Boosts multiply a passage's fused score; chosen on the seed and regulation dev sets.
NUMBER_BOOST = 0.15  # per number of the question (a year, an amount) the passage holds
INDICATOR_BOOST = 0.3  # a table row whose indicator the question names
PLACE_BOOST = 0.4  # a document of the place or level of government the question asks about
NATIONAL_BOOST = 0.1  # no place asked: national rules apply everywhere, a local one may not
TITLE_BOOST = 0.4  # a passage of the document the question names (《志愿服务条例》…)
# A sentence that holds both a term of the question and what its slot asks for (收费 for "要花钱
#吗", 部门 for "去哪儿") is likelier the answer than one that only shares the topic.
SLOT_BOOST = 0.35
SENTENCE_BOOST = 0.6  # times the share of the question one sentence holds (rarity-weighted)
# The best candidates are reranked by how close the question is to their closest sentence,
# weighed alike with their score (both scaled to [0, 1]). On train/dev and three fresh question
# sets (session 5): hit@5 0.862 → 0.899 on the seeds' fresh set, 0.873 → 0.900 on the
# regulations', 0.944 → 0.953 on a third corpus; a weight of 1.5 or 2 lost on regulations dev.
RERANKED = 20  # the fused list's head; the experiment above reranked the top 20
SENTENCE_WEIGHT = 1.0
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")


def search(index: Index, part: Part, *, k: int = 10, where: dict | None = None) -> list[Hit]:
    """The `k` best chunks for one part of a question, best first; `where` filters on
    doc/level/region."""
    vector = index.store.embeddings.embed_query(part.search)
    dense = index.store.search(vector, CANDIDATES, where=_chroma_where(where))
    words = within_document(part)
    keyword = _keyword_hits(index, [t for t in dict.fromkeys(words.tokens)
                                    if not documents_of(index, t, part.places)], where)
    fused = fuse([dense, keyword])
    rarity = {t: index.keyword.idf(t) for t in words.terms}  # looked up once, not per passage
    boosted = sorted((replace(h, score=h.score * boost(words, h, rarity)) for h in fused),
                     key=lambda h: -h.score)[:max(k, RERANKED)]
    nearest = index.store.nearest_sentences(vector, [h.chunk for h in boosted])
    # a question naming its document (《志愿服务条例》自何时起施行) is about that document as a
    # whole: its title, which passages are embedded with and sentences are not, decides
    ranked = rerank(boosted, nearest, 0.0 if part.documents else SENTENCE_WEIGHT)
    if where is not None:
        return ranked[:k]
    return named_articles_first(index, part, record_first(index, part, ranked))[:k]


def documents_of(index: Index, token: str, places: tuple[str, ...]) -> bool:
    """Whether `token` is a place the question names that some document is of (岳麓 of a guide
    of 岳麓区): every passage of that document is of it, so the keyword ranker does not favour the
    few that write its name ("申请条件：岳麓户籍年满69周岁" for "岳麓高龄补贴多久能办下来"); the
    place boost lifts the document's passages alike. Not when a passage of another document
    names it (a city's table with a row "岳麓区 | 600"): there the name is what finds it."""
    def of_it(doc: str) -> bool:
        c = index.citations.get(doc, {})
        return c.get("level") in LOCAL_LEVELS and of_place(token, c.get("region", ""),
                                                           c.get("title", ""))

    return any(token in place or place in token for place in places) and any(
        of_it(doc) for doc in index.citations) and not any(
        token in chunk.text for chunk in index.chunks.values() if not of_it(chunk.doc))


# A local document is of its place throughout; a province's regulation names the province in a
# few articles that are about it ("北京居家养老服务补贴是发现金还是充到卡里": without 北京 among its
# words, the keyword ranker found an article on the subsidy, quoted as if it answered).
LOCAL_LEVELS = ("市", "县", "区")


def within_document(part: Part) -> Part:
    """A question naming its document ("某县特困人员救助供养实施细则什么时候施行") without the words
    of that title, which every passage of the document shares: the rest (施行) picks the passage.
    The title's words had put the notice that issues the rules, which names them twice, first."""
    if not part.documents:
        return part
    def outside(word: str) -> bool:
        return not any(word in title for title in part.documents)

    kept = [(t, a) for t, a in zip(part.terms, part.alternatives) if outside(t)]
    if not kept:
        return part
    return replace(part, tokens=tuple(t for t in part.tokens if outside(t)),
                   terms=tuple(t for t, _ in kept), alternatives=tuple(a for _, a in kept))


def rerank(hits: list[Hit], nearest: dict[str, tuple[float, str]],
           weight: float = SENTENCE_WEIGHT) -> list[Hit]:
    """The candidates again, by their score plus how close the question is to the closest of
    their sentences (each scaled to [0, 1] over the candidates): a passage on many things
    whose one sentence says what was asked is found, not buried under passages on the topic.
    Each hit keeps that sentence, its cosine ("sentence") and its scaled closeness."""
    if not hits:
        return hits
    closest = [nearest.get(h.chunk.id, (0.0, "")) for h in hits]
    closeness = _scaled([cosine for cosine, _ in closest])
    rescored = [replace(h, score=s + weight * c, nearest=sentence,
                        scores={**h.scores, "sentence": cosine, "closeness": c})
                for h, s, c, (cosine, sentence) in zip(hits, _scaled([h.score for h in hits]),
                                                       closeness, closest)]
    return sorted(rescored, key=lambda h: -h.score)


def _scaled(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    return [(v - low) / (high - low) if high > low else 1.0 for v in values]


def _keyword_hits(index: Index, tokens: list[str], where: dict | None) -> list[Hit]:
    scores = index.keyword.scores(tokens)
    order = np.argsort(-scores)
    hits = []
    for i in order:
        if scores[i] <= 0 or len(hits) >= CANDIDATES:
            break
        chunk = index.chunks[index.keyword.ids[i]]
        citation = index.citations.get(chunk.doc, {})
        if where and any(str(citation.get(key, chunk.doc if key == "doc" else "")) != str(value)
                         for key, value in where.items()):
            continue
        hits.append(index.hit(chunk, float(scores[i]), {"bm25": float(scores[i])}))
    return hits


def _chroma_where(where: dict | None) -> dict | None:
    if not where:
        return None
    clauses = [{key: value} for key, value in where.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def fuse(rankings: list[list[Hit]], *, weights: tuple[float, ...] = (DENSE_WEIGHT, 1 - DENSE_WEIGHT)
         ) -> list[Hit]:
    """Relative score fusion: each ranker's scores scaled to [0, 1] over its own candidates,
    then a weighted sum; each hit keeps every ranker's raw score in `scores`.

    Reciprocal rank fusion was used first: it buried a passage that only the dense ranker
    found at rank 1 under passages both rankers placed around rank 5, which on the regulations
    (short articles, much everyday wording) cost 0.07 of hit@5 on dev."""
    fused: dict[str, Hit] = {}
    for ranking, weight in zip(rankings, weights):
        if not ranking:
            continue
        values = [h.score for h in ranking]
        low, high = min(values), max(values)
        for hit in ranking:
            share = weight * ((hit.score - low) / (high - low) if high > low else 1.0)
            old = fused.get(hit.chunk.id)
            if old is None:
                fused[hit.chunk.id] = replace(hit, score=share, scores=dict(hit.scores))
            else:
                fused[hit.chunk.id] = replace(old, score=old.score + share,
                                              scores={**old.scores, **hit.scores})
    return sorted(fused.values(), key=lambda h: -h.score)


def boost(part: Part, hit: Hit, rarity: dict[str, float] | None = None) -> float:
    """Exact numbers, a named indicator or document, the asked-about place and one sentence
    holding most of the question lift a passage."""
    factor = 1.0
    compact = re.sub(r"\s", "", hit.chunk.text)
    if rarity is not None:
        factor += SENTENCE_BOOST * sentence_coverage(part, compact, rarity)
    # a year the document's title names is every one of its passages' ("某市低保标准2025年多少":
    # the notice's preamble repeating 2025年 had outranked its item stating the standard)
    factor += NUMBER_BOOST * (sum(1 for n in part.numbers if n in compact or n in part.years
                                  and n in hit.title) + aged_in_band(part.text, compact))
    if hit.chunk.kind == "table_row" and names_indicator(part.text, hit.chunk.text):
        factor += INDICATOR_BOOST
    if part.slots and holds_slot(part, compact, hit.chunk.kind == "table_row") or holds_count(
            part, compact):
        factor += SLOT_BOOST
    if hit.title in part.documents:
        factor += TITLE_BOOST
    if part.places:
        factor += PLACE_BOOST if any(of_place(p, hit.region, hit.title) for p in part.places) else 0
    elif part.levels:
        factor += PLACE_BOOST if hit.level in part.levels else 0.0
    elif hit.level == "国家":
        factor += NATIONAL_BOOST
    return factor


def holds_slot(part: Part, text: str, row: bool = False) -> bool:
    """Does one sentence of the text name a term of the question and hold its slot's answer?
    A sum asked in a unit ("多少钱", "多少户") is held by a number in that unit, not by any
    digit ("年满80周岁" holds no sum of money). A table's row (`row`) is one sentence: its name
    and its figures stand in different cells."""
    wanted = [unit_stated(part.asking)[1] if name == "amount" and asks_quantity(part.asking)
              else held for name, _, held in slots() if name in part.slots]
    terms = worded(part)
    return any(any(t in sentence for t in terms) and any(w.search(sentence) for w in wanted)
               for sentence in ([text] if row else _SENTENCE_END.split(text)))


def worded(part: Part) -> list[str]:
    """The question's terms and their policy terms, of two characters or more."""
    return [a for alternatives in part.alternatives for a in alternatives if len(a) >= 2]


def holds_count(part: Part, text: str) -> bool:
    """Does one sentence name a term of the question and state a count in the measure word it
    asks for ("给多少个乡镇配了督导员" → "为14个乡镇配备儿童督导员")? As a sum asked is held by a
    number in its unit, a count is by one in its measure word. hit@1 on train/dev: seeds
    0.865/0.785 → 0.869/0.792, plans3 0.884 → 0.897, guides2 0.675 → 0.682, the others unchanged;
    no answer changes its score."""
    if not asks_count(part.asking):
        return False
    terms = worded(part)
    return any(any(t in sentence for t in terms) and counted(part.asking, sentence)
               for sentence in _SENTENCE_END.split(text))


def sentence_coverage(part: Part, text: str, rarity: dict[str, float]) -> float:
    """The largest rarity-weighted share of the question's terms (or their policy terms) that
    one sentence of the text holds: a long passage that touches every word of the question
    in different sentences is less likely the answer than one sentence that holds them.
    `rarity`: each term's idf, looked up once per question rather than per passage."""
    terms = dict(zip(part.terms, part.alternatives))
    total = sum(rarity[t] for t in terms)
    # only the terms the passage holds at all can be held by one of its sentences
    held = {t: [a for a in alternatives if a in text] for t, alternatives in terms.items()}
    held = {t: found for t, found in held.items() if found}
    if not held or not total:
        return 0.0
    return max(sum(rarity[t] for t, found in held.items() if any(a in sentence for a in found))
               for sentence in _SENTENCE_END.split(text)) / total


class HybridRetriever(BaseRetriever):
    """langchain retriever over an opened index; metadata carries the citation fields."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    index: Index
    k: int = 10
    where: dict | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None) -> list[LCDocument]:
        hits = search(self.index, part(query, self.index.vocabulary), k=k or self.k,
                      where=self.where)
        return [to_langchain(hit) for hit in hits]


def to_langchain(hit: Hit) -> LCDocument:
    return LCDocument(
        id=hit.chunk.id, page_content=hit.chunk.text,
        metadata={"doc": hit.chunk.doc, "title": hit.title, "section": hit.chunk.section_path,
                  "level": hit.level, "date": hit.date, "region": hit.region,
                  "kind": hit.chunk.kind, "score": hit.score},
    )
