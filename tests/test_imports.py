"""Answering a question does not import the build path: `ask`, `serve` and the web app open an
index (index.py) and never load what builds one (build.py and the stages it runs)."""

import json
import subprocess
import sys

BUILD_PATH = {"assistant.build", "assistant.publish", "assistant.doctor", "assistant.chunk",
              "assistant.tables"}


def test_answering_does_not_import_the_build_path():
    # a fresh interpreter: this one has imported everything the other tests use
    code = ("import json, sys\n"
            "import assistant.ask, assistant.index, assistant.present, assistant.web\n"
            "from assistant import cli\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('assistant'))))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                       text=True, check=True).stdout)
    assert "assistant.index" in loaded and "assistant.web" in loaded
    assert BUILD_PATH.isdisjoint(loaded), BUILD_PATH & set(loaded)
