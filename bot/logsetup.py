"""Logging for the entry points: configured once, noisy libraries turned down, no secrets."""

from __future__ import annotations

import logging
import os
import sys
import warnings


def quiet_libraries() -> None:
    # Model loading prints progress bars and hub chatter that mean nothing to a user.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)


def configure(level: str = "WARNING") -> None:
    quiet_libraries()
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("chromadb", "httpx", "httpcore", "sentence_transformers", "transformers", "urllib3",
                  "apscheduler", "discord", "slack_bolt", "aiosqlite", "asyncio", "posthog", "bm25s"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    # Importing transformers costs about 1.5 s, and questions no longer need it (the embedder
    # runs on onnxruntime): quiet it only if something loaded it already; the environment
    # variables set above quiet it when it is loaded later.
    hf = sys.modules.get("transformers")
    if hf is not None:
        hf.utils.logging.disable_progress_bar()
        hf.utils.logging.set_verbosity_error()
