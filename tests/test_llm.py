"""The optional LLM path, driven by scripted chat models; the default path needs none."""

from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.ask import ask


def scripted(*replies):
    return GenericFakeChatModel(messages=iter(AIMessage(content=r) for r in replies))


def test_a_grounded_llm_answer_is_used_with_its_citations(index):
    model = scripted("新规定把三级智力、精神残疾人认定为无劳动能力 [1]。")
    answer = ask(index, "三级精神残疾人能认定为特困人员吗？", chat_model=model)
    assert answer.text.startswith("新规定") and "[1]" in answer.text
    assert "无劳动能力" in answer.citations[0].hit.chunk.text


def test_an_llm_answer_with_numbers_not_in_its_sources_falls_back_to_quoting(index):
    model = scripted("护理型床位占比目标是60% [1]。")
    answer = ask(index, "养老机构护理型床位占比2025年要达到多少？", chat_model=model)
    assert "≥55" in answer.text and "60%" not in answer.text


def test_an_llm_answer_citing_nothing_falls_back_to_quoting(index):
    answer = ask(index, "三级精神残疾人能认定为特困人员吗？", chat_model=scripted("可以。"))
    assert "“" in answer.text and answer.citations


def test_questions_the_documents_do_not_answer_never_reach_the_llm(index):
    answer = ask(index, "离婚冷静期是多久？", chat_model=scripted("三十天 [1]。"))
    assert answer.abstained and "三十天" not in answer.text
