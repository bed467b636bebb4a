"""The ``studybuddy`` command: run, chat, ask, ingest, eval, tokenize, quiz."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

import typer
from rich.console import Console

from bot import logsetup
from bot.config import Settings
from bot.errors import UserInputError

log = logging.getLogger(__name__)
app = typer.Typer(help="Study Buddy: answers from your notes, daily quizzes, tokenizer explanations.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "knowledge" / "eval" / "dev.jsonl"


def _settings() -> Settings:
    settings = Settings()
    logsetup.configure(settings.log_level)
    return settings


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _knowledge(settings: Settings, progress: bool = False):
    """Build the knowledge base and bring its index up to date (exit 2 if there are no notes)."""
    from bot.bootstrap import build_knowledge
    from knowledge.notes import NotesMissingError

    kb = build_knowledge(settings)
    try:
        report = _ingest(kb, progress)
    except NotesMissingError as exc:
        _fail(f"{exc}. Put .md or .txt notes there, or set STUDYBUDDY_NOTES_DIR.")
    except Exception as exc:  # the index backend is unreachable or broken: the operator must act
        if settings.chroma_url:
            _fail(f"cannot use the Chroma server at {settings.chroma_url}: {exc}")
        raise
    return kb, report


def _ingest(kb, progress: bool):
    if not progress or not sys.stderr.isatty():
        return kb.ingest()
    from rich.progress import Progress

    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("embedding notes", total=None)
        return kb.ingest(progress=lambda done, total: bar.update(task, completed=done, total=total))


def _service(settings: Settings):
    from bot.service import StudyBuddy

    kb, _ = _knowledge(settings)
    return StudyBuddy(kb, max_question_chars=settings.max_question_chars, pricing_file=settings.pricing_file)


@app.command()
def ingest(as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON.")) -> None:
    """Index the notes folder: embeds only what is new or changed, removes what was deleted."""
    settings = _settings()
    _, report = _knowledge(settings, progress=not as_json)
    if as_json:
        typer.echo(json.dumps(report.as_dict()))
    else:
        typer.echo(f"{report.added} added, {report.updated} updated, {report.removed} removed, "
                   f"{report.unchanged} unchanged ({settings.notes_dir})")


@app.command()
def ask(question: list[str] = typer.Argument(None, help="Your question (quotes optional)."),
        as_json: bool = typer.Option(False, "--json", help="Print question, answer and sources as JSON.")) -> None:
    """Answer one question from the notes, with citations."""
    settings = _settings()
    text = " ".join(question or [])
    service = _service(settings)
    try:
        reply = asyncio.run(service.ask(text))
    except UserInputError as exc:
        _fail(str(exc), code=2)
    if as_json:
        typer.echo(json.dumps(reply.data, ensure_ascii=False, indent=2))
        return
    from adapters.console.render import render

    render(Console(), reply, settings.data_dir / "images")


@app.command()
def chat() -> None:
    """Chat in the terminal: ask questions, /tokenize, /quiz."""
    settings = _settings()
    asyncio.run(_chat(settings))


async def _chat(settings: Settings) -> None:
    from adapters.console.chat import ConsoleChat

    service = _service(settings)
    console = Console()
    quiz = await _quiz_service(settings, service, console)
    service.quiz = quiz
    with console.status("loading the notes…"):
        await service.start()
    actor = channel = None
    if quiz is not None:
        from adapters.console.quiz_cli import CONSOLE_CHANNEL, console_actor

        actor, channel = console_actor(), CONSOLE_CHANNEL
    try:
        await ConsoleChat(service, console, settings.data_dir / "images", actor, channel).run()
    finally:
        if quiz is not None:
            await _stop_quiz(quiz)


async def _quiz_service(settings: Settings, service, console: Console):
    """The quiz service with its state, or None when quizzes are not wired in this build."""
    try:
        from bot.quiz import wiring
    except ImportError:
        return None
    from adapters.console.render import render

    image_dir = settings.data_dir / "images"
    return await wiring.start_console_quiz(settings, service.knowledge, console,
                                           show=lambda reply: render(console, reply, image_dir))


async def _stop_quiz(quiz) -> None:
    from bot.quiz import wiring

    await wiring.stop(quiz)


@app.command()
def run() -> None:
    """Start the bot: the terminal chat, or Discord/Slack when their tokens are set."""
    settings = _settings()
    platforms = [name for name, tok in (("Discord", settings.discord_token), ("Slack", settings.slack_bot_token)) if tok]
    if platforms:
        err.print(f"[yellow]{' and '.join(platforms)} token set, but this build has no {' or '.join(platforms)} "
                  "adapter yet; starting the terminal chat instead.[/]")
    asyncio.run(_chat(settings))


@app.command("eval")
def evaluate(questions: Path = typer.Option(DEFAULT_EVAL, help="JSONL of {q, passage} (passage null = not covered)."),
             as_json: bool = typer.Option(False, "--json"),
             verbose: bool = typer.Option(False, "--verbose", "-v", help="One row per question.")) -> None:
    """Measure retrieval (hit@1, hit@3, MRR) and abstention accuracy on an evaluation set."""
    from knowledge.evaluate import evaluate as run_eval
    from knowledge.evaluate import load_cases

    settings = _settings()
    if not questions.is_file():
        _fail(f"evaluation set not found: {questions}")
    kb, _ = _knowledge(settings)
    result = run_eval(kb, load_cases(questions))
    rows = result.pop("rows")
    if as_json:
        typer.echo(json.dumps({**result, **({"rows": rows} if verbose else {})}, indent=2))
        return
    if verbose:
        for r in rows:
            mark = "✓" if (r["rank"] == 1 or (r["rank"] is None and not r["should_answer"])) else "✗"
            typer.echo(f"{mark} rank={r['rank']} grounded={r['grounded']} conf={r['confidence']:.3f}  {r['question']}")
    typer.echo(f"questions {result['questions']} ({result['answerable']} answerable)")
    typer.echo(f"hit@1 {result['hit@1']:.3f}  hit@3 {result['hit@3']:.3f}  MRR {result['mrr']:.3f}  "
               f"abstention accuracy {result['abstention_accuracy']:.3f}  "
               f"(threshold {kb.threshold:.3f}; best on this set {result['best_threshold']:.3f})")


def _register_optional() -> None:
    try:
        from adapters.console.tokenize_cli import register as register_tokenize
    except ImportError:
        pass
    else:
        def passage():
            settings = _settings()
            service = _service(settings)
            return asyncio.run(service.notes_passage(service.TOKENIZE_TOPIC))

        register_tokenize(app, passage_lookup=passage)
    try:
        from adapters.console.quiz_cli import register as register_quiz
        from bot.quiz import wiring
    except ImportError:
        pass
    else:
        def build_quiz():
            from types import SimpleNamespace

            settings = _settings()
            bank = wiring.bank_from_notes(SimpleNamespace(notes_dir=settings.notes_dir))
            return wiring.build_quiz_service(settings, bank)

        register_quiz(app, build_quiz)


_register_optional()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
