"""The dated price and context-window table (``pricing.toml``), and what a text costs by it.

Each model names the tokenizer whose real count is multiplied by its price and
compared with its context window. A model whose own tokenizer is not public
(Claude) names the tokenizer that stands in for it and ``estimate = true``;
the reply then marks its figures as estimates. A model whose tokenizer is not
loaded here is left out: no count is ever guessed.
"""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from knowledge.errors import ConfigError
from knowledge.tokenization.model import ModelCost, Pricing

log = logging.getLogger(__name__)

# Prices older than this get a warning next to them: list prices move within months.
STALE_AFTER_DAYS = 183


@dataclass(frozen=True, slots=True)
class ModelPrice:
    name: str
    tokenizer: str
    input_usd_per_million: float
    context_window: int | None = None
    estimate: bool = False  # counted with a stand-in tokenizer


@dataclass(frozen=True, slots=True)
class PriceTable:
    as_of: dt.date
    currency: str
    sources: tuple[str, ...]
    models: tuple[ModelPrice, ...]
    path: str  # where it was read from, for error messages and logs

    def costs(self, counts: Mapping[str, int]) -> tuple[ModelCost, ...]:
        """Input price and context share per model, each from its own tokenizer's real count."""
        return tuple(
            ModelCost(m.name, m.tokenizer, counts[m.tokenizer], m.input_usd_per_million, m.context_window, m.estimate)
            for m in self.models
            if m.tokenizer in counts
        )

    def pricing(self, today: dt.date | None = None) -> Pricing:
        """The table's date, its age on ``today`` and whether it is stale (older than ~6 months)."""
        age = ((today or dt.date.today()) - self.as_of).days
        return Pricing(self.as_of.isoformat(), age, age > STALE_AFTER_DAYS, self.sources)


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
    if "windows" in doc:
        log.warning("pricing file %s: [[windows]] is no longer used; give each model a context_window", where)
    models = tuple(
        ModelPrice(
            name=str(m["name"]),
            tokenizer=str(m["tokenizer"]),
            input_usd_per_million=float(m["input_usd_per_million"]),
            context_window=int(m["context_window"]) if "context_window" in m else None,
            estimate=_bool(m.get("estimate", False)),
        )
        for m in doc.get("models", ())
    )
    if any(m.context_window is not None and m.context_window <= 0 for m in models) or any(
        m.input_usd_per_million < 0 for m in models
    ):
        raise ValueError("context windows must be positive and prices not negative")
    return PriceTable(
        as_of=as_of if not isinstance(as_of, dt.datetime) else as_of.date(),
        currency=str(doc.get("currency", "USD")),
        sources=tuple(str(s) for s in doc.get("sources", ())),
        models=models,
        path=where,
    )


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"estimate must be true or false, not {value!r}")
    return value


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc.args[0]!r}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
