"""Which quotes look up what was asked, as one reads a figure off a table: a table's row
stating the figure in the unit asked, a form's field or a guide's section named for what is
asked, a list's item stating the sum asked, a fee a quote says is none. The judge's wording prior
says no less of them than of an ordinary question (judge.TABLE_PRIOR): a deployer's table of
standards and its guides had every such answer refused on the wording of amount questions.
Balanced accuracy with each corpus left out in turn: 0.876 before the list's items, 0.877 with
them and with the sections and fees; train/dev correct 0.886/0.859 → 0.888/0.869, guides2 0.619
→ 0.667, plans3 0.858 → 0.877, and "结婚登记要花钱吗" answered again (session 19). And of the
quotes composed, the one stating the value asked leads (slot_first)."""

from __future__ import annotations

from dataclasses import replace

from .clean import ITEM
from .headings import FIELD
from .quantities import asks_quantity, free, unit_stated
from .question import Part
from .rows import row_cells
from .schema import Citation, Hit
from .slots import VALUES, evidence, slots


def looked_up(part: Part, citation: Citation, held: dict[str, bool],
              terms: dict[str, tuple[str, ...]]) -> bool:
    """Whether the first quote looks up what was asked (`held`: whether the quotes hold each slot
    asked; `terms`: the question's terms and their alternatives)."""
    chunk = citation.hit.chunk
    row = chunk.kind == "table_row" and asks_quantity(part.asking) and all(held.values()) and bool(
        unit_stated(part.asking)[1].search(chunk.text))
    return (row or heads_slot(part, citation.hit)
            or listed_figure(part, citation.quote, terms, citation.hit.title)
            or "fee" in part.slots and free(citation.quote))  # "婚姻登记收费全面取消" for 要花钱吗


# Slots asking what a list's item or a guide's field states (besides a sum in a unit): a figure,
# or the office to go to
FIGURE_SLOTS = ("age", "duration", "date", "count", "contact", "hours", "where")


def listed_figure(part: Part, quote: str, terms: dict[str, tuple[str, ...]], title: str
                  ) -> bool:
    """A list's item or a guide's field of the quote that names what the question asks of (or
    whose document's `title` does: a guide's fields do not repeat what it is about, "(三)当事人
    男年满22周岁" of 《结婚登记办理指南》 for "领结婚证男的要满多少岁") and states the figure asked:
    a sum in the unit asked ("(5)骨灰盒费,最高补贴额度200元;" for "骨灰盒能补多少钱"), a period,
    an age, a date ("2、登记发证期计算。自冷静期届满之日的次日开始计算30日" for "登记发证期有多
    长"), an office ("申请:由孤儿监护人向…街道办事处或乡(镇)人民政府提出申请"
    for "孤儿生活费去哪儿申请"): a lookup, as a table's row is. (Beyond sums: train/dev +2, no
    answer lost, session 23; named by the title: guides2 +2, nothing else changed, session 24.)"""
    if asks_quantity(part.asking):
        wanted = [unit_stated(part.asking)[1]]
    else:
        wanted = [held for name, _, held in slots() if name in part.slots and name in FIGURE_SLOTS]
        if not wanted:
            return False
    named = [a for t, alternatives in terms.items() if len(t) >= 2 and not any(
        t in p or p in t for p in part.places) for a in alternatives if len(a) >= 2]
    return any((ITEM.match(line) or FIELD.match(line)) and all(w.search(line) for w in wanted)
               and any(a in line or a in title for a in named) for line in quote.split("\n"))


def heads_slot(part: Part, hit: Hit) -> bool:
    """Whether the passage's own heading names what the part asks for, in the words a question
    asks it with: "二、申请材料" for materials, "三、办理流程" for a procedure; or, of a form laid
    out as a table, its field ("办理材料：身份证原件、…")."""
    if hit.chunk.kind == "table_row":
        return form_field_asked(part, hit.chunk.text)
    heading = hit.chunk.section[-1] if len(hit.chunk.section) > 1 else ""
    return bool(heading) and names_asked(part, heading)


def form_field_asked(part: Part, row: str) -> bool:
    """A form's field named for what is asked, in the words a question asks it with ("收费依据及
    标准：免费" for "要交钱不"): the guide's own answer to it, as its row of a standards table is."""
    name, cells = row_cells(row.split("\n")[0])
    return not name and len(cells) == 1 and names_asked(part, cells[0][0])


def names_asked(part: Part, name: str) -> bool:
    """Whether a heading or a field's name names a slot the part asks for. Not when all it names
    of them is an amount (标准 stands in any heading) beside a slot not asked: "收费标准" is a
    fee's heading, no answer to "低保标准是多少" ("答：相关政策:1.国务院…" had been its answer)."""
    named = {slot for slot, asked, _ in slots() if asked.search(name)}
    shared = named & set(part.slots)
    return bool(shared) and not (shared <= {"amount"} and named - shared)


def slot_first(part: Part, citations: list[Citation]) -> list[Citation]:
    """The first quote stating the value asked (slots.VALUES: a time, a sum, a date…), and as
    many of the question's terms as the first, leads where the first states none: "某县高龄补贴
    什么时间能去办" is answered by the 办理时间 row, not by the 申请条件 row ranked above it, which
    names the county. (quotes.pick_sentences lets a sentence stating what was asked lead from
    the first five passages; this reorders the quotes picked, from any of them.)"""
    asked = [slot for slot in part.slots if slot in VALUES]

    def holds(c: Citation) -> bool:
        return any(evidence(slot).search(c.quote) for slot in asked)

    if not asked or not citations or holds(citations[0]):
        return citations

    def named(c: Citation) -> int:
        return sum(1 for alternatives in part.alternatives
                   if any(len(a) >= 2 and a in c.quote for a in alternatives))

    leading = next((c for c in citations[1:] if holds(c) and named(c) >= max(1, named(citations[0]))),
                   None)
    if leading is None:
        return citations
    ordered = [leading] + [c for c in citations if c is not leading]
    return [replace(c, n=n) for n, c in enumerate(ordered, start=1)]
