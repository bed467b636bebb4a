"""The dated price and context-window table (``pricing.toml``), and what a text costs by it."""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from knowledge.errors import ConfigError
from knowledge.tokenization.model import PriceEstimate, WindowShare

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Window:
    tokens: int
    label: str


@dataclass(frozen=True, slots=True)
class ModelPrice:
    name: str
    tokenizer: str
    input_usd_per_million: float
    context_window: int | None = None


@dataclass(frozen=True, slots=True)
class PriceTable:
    as_of: dt.date
    currency: str
    sources: tuple[str, ...]
    window_tokenizer: str
    windows: tuple[Window, ...]
    models: tuple[ModelPrice, ...]
    path: str  # where it was read from, for error messages and logs

    def window_shares(self, counts: Mapping[str, int]) -> tuple[WindowShare, ...]:
        """Share of each window, by the ``window_tokenizer`` count (first available count otherwise)."""
        name = self.window_tokenizer if self.window_tokenizer in counts else next(iter(counts), None)
        if name is None:
            return ()
        return tuple(WindowShare(w.label, w.tokens, name, counts[name]) for w in self.windows)

    def estimates(self, counts: Mapping[str, int]) -> tuple[PriceEstimate, ...]:
        """Input price per model, each from its own tokenizer's real count; models without one are left out."""
        return tuple(
            PriceEstimate(m.name, m.tokenizer, counts[m.tokenizer], m.input_usd_per_million)
            for m in self.models
            if m.tokenizer in counts
        )


def load_pricing(path: Path | None = None) -> PriceTable:
    """Read the operator's table at ``path``, or the packaged ``pricing.toml`` when None.

    Raises ConfigError (one line naming the file and the problem) when the file
    is missing or malformed: that is for the operator to fix, at start.
    """
    if path is None:
        where = "knowledge/tokenization/pricing.toml"
        raw = resources.files("knowledge.tokenization").joinpath("pricing.toml").read_bytes()
    else:
        where = str(path)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"pricing file {where}: cannot read it ({exc.strerror})") from exc
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
        table = _parse(doc, where)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"pricing file {where}: {_describe(exc)}") from exc
    log.info("pricing table %s as of %s: %d models", where, table.as_of, len(table.models))
    return table


def _parse(doc: dict, where: str) -> PriceTable:
    as_of = doc["as_of"]
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    if not isinstance(as_of, dt.date):
        raise ValueError("as_of must be a date like 2025-01-15")
    windows = tuple(Window(int(w["tokens"]), str(w["label"])) for w in doc.get("windows", ()))
    models = tuple(
        ModelPrice(
            name=str(m["name"]),
            tokenizer=str(m["tokenizer"]),
            input_usd_per_million=float(m["input_usd_per_million"]),
            context_window=int(m["context_window"]) if "context_window" in m else None,
        )
        for m in doc.get("models", ())
    )
    if any(w.tokens <= 0 for w in windows) or any(m.input_usd_per_million < 0 for m in models):
        raise ValueError("window sizes must be positive and prices not negative")
    return PriceTable(
        as_of=as_of if not isinstance(as_of, dt.datetime) else as_of.date(),
        currency=str(doc.get("currency", "USD")),
        sources=tuple(str(s) for s in doc.get("sources", ())),
        window_tokenizer=str(doc.get("window_tokenizer", "o200k_base")),
        windows=windows,
        models=models,
        path=where,
    )


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc.args[0]!r}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
