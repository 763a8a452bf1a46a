# `make run` and `make test` do all set-up on a fresh machine (see README).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run index test test-fast eval train load bench browser clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first and pinned: the CPU build lies on this machine's disk; a bare `torch` is CUDA.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index/CURRENT: | $(STAMP)
	$(VENV)/bin/assistant index

index: $(STAMP)
	$(VENV)/bin/assistant index

run: $(STAMP) index/CURRENT
	$(VENV)/bin/assistant serve

# Debian's Chromium for the browser test, and axe-core (npm) for its accessibility check; each
# skipped (with its reason) where it cannot be installed.
AXE := .cache/npm/node_modules/axe-core/axe.min.js
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null) || echo "chromium could not be installed; the browser test will be skipped"
	@test -f $(AXE) || { { command -v npm >/dev/null 2>&1 || apt-get install -y -qq npm >/dev/null; } && npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@4 >/dev/null; } || echo "axe-core could not be installed; the accessibility check will be skipped"

test: $(STAMP) browser
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

# Every corpus of eval/corpora.toml (each index built or updated first), train/dev/test side by
# side with the langchain-tutorial and BM25 baselines; exits non-zero when the gate fails.
eval: $(STAMP)
	$(PY) eval/run.py --baselines

# Refit the judge (assistant/data/judge.json) on the train and dev splits; never on test.
train: $(STAMP)
	$(PY) eval/train_judge.py

# 20 concurrent conversations x 25 questions through the Gradio API of a running `make run`.
load: $(STAMP)
	$(PY) bench/load.py --url http://$${ASSISTANT_HOST:-127.0.0.1}:$${ASSISTANT_PORT:-7860}/

# Build time, memory, cold start and ask latency at 1x, 10x and 50x the corpus (over two hours
# on 2 cores); writes docs/benchmark.{md,png,json}. BENCH_SIZES="1 10" for a shorter run.
bench: $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) bench/scale.py --sizes $${BENCH_SIZES:-1 10 50}

clean:
	rm -rf index/builds index/CURRENT
