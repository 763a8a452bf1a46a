"""Answering a question does not import the build path: `ask`, `serve` and the web app open an
index (index.py) and never load what builds one (build.py and the stages it runs)."""

import json
import subprocess
import sys

from assistant.load import MAX_FILE_MB
from assistant.settings import Settings

BUILD_PATH = {"assistant.build", "assistant.publish", "assistant.doctor", "assistant.load",
              "assistant.chunk", "assistant.tables"}


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


def test_the_settings_file_size_default_is_the_loaders():
    # a literal in settings.py, which the answering edges import, so that they need not import
    # load.py for it
    assert Settings().max_file_mb == Settings.from_env({}).max_file_mb == MAX_FILE_MB
