"""Optional LLM answers: a chat model writes from the retrieved passages, checked against them."""

from __future__ import annotations

import re

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from .schema import Citation, Hit

SYSTEM = (
    "你是民政政策问答助手。只根据给出的编号资料回答，用简体中文，简洁准确。"
    "每句话后用 [编号] 标明依据的资料；数字、比例和年份必须与资料原文一致，不要换算或推测。"
    "资料中没有答案时，只回答：资料中没有相关内容。"
)
PROMPT = ChatPromptTemplate.from_messages(
    [("system", SYSTEM), ("human", "资料：\n{passages}\n\n问题：{question}")]
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def chat_model(base_url: str, model: str, api_key: str = "") -> BaseChatModel:
    """Any OpenAI-compatible server: vLLM, Ollama, Qwen or DeepSeek APIs."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=base_url, model=model, api_key=api_key or "not-needed",
                      temperature=0, timeout=60, max_retries=1)


def llm_answer(model: BaseChatModel, question: str, hits: list[Hit], *, passages: int = 5
               ) -> tuple[str, tuple[Citation, ...]] | None:
    """The model's answer with the passages it cites, or None when it is not grounded in them."""
    shown = hits[:passages]
    numbered = "\n".join(f"[{n}] 《{h.title}》{h.chunk.section_path}：{h.chunk.text}"
                         for n, h in enumerate(shown, start=1))
    try:
        text = (PROMPT | model | StrOutputParser()).invoke({"question": question,
                                                             "passages": numbered})
    except Exception:  # an unreachable or failing server falls back to the extractive answer
        return None
    cited = sorted({int(n) for n in re.findall(r"\[(\d+)\]", text) if 1 <= int(n) <= len(shown)})
    if not cited or not grounded(text, [shown[n - 1].chunk.text for n in cited]):
        return None
    return text.strip(), tuple(Citation(n, shown[n - 1], shown[n - 1].chunk.text) for n in cited)


def grounded(text: str, passages: list[str]) -> bool:
    """Every number the model wrote (besides citation marks) appears in a passage it cited."""
    source = "".join(passages)
    return all(n in source for n in _NUMBER.findall(re.sub(r"\[\d+\]", "", text)))
