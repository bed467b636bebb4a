"""The ``studybuddy`` command: run, chat, ask, ingest, eval, tokenize, quiz.

Settings are read once per process (the root callback); every command builds the app
through ``bot.app.build_app`` with the parts it needs, and ``main`` is the one error
handler: a user or setup error is one ``error:`` line and exit code 2, Ctrl-C exit 130.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import click
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from adapters.console.render import render
from bot import logsetup
from bot.app import App, Parts, build_app
from bot.config import Settings
from bot.errors import ConfigError, UserInputError, operator_message
from bot.replies import Reply

log = logging.getLogger(__name__)
T = TypeVar("T")

app = typer.Typer(help="Study Buddy: answers from your notes, daily quizzes, tokenizer explanations.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)

# What each kind of command needs started.
# Questions read the index (built once if it never was) and open no database.
READ_ONLY = Parts(ingest=False, build_missing=True, state=False, scheduler=False, warm=False)
NO_INDEX = Parts(index=False, ingest=False, state=False, scheduler=False, warm=False)
QUIZ = Parts(index=False, ingest=False, state=True, scheduler=False, warm=False)


def _settings(ctx: typer.Context) -> Settings:
    return ctx.find_root().obj


def _with_app(settings: Settings, parts: Parts, work: Callable[[App], Awaitable[T]]) -> T:
    async def go() -> T:
        async with build_app(settings, parts=parts) as running:
            return await work(running)

    return asyncio.run(go())


def _print(reply: Reply, image_dir: Path) -> None:
    render(Console(), reply, image_dir)


@app.callback()
def _root(ctx: typer.Context) -> None:
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "STUDYBUDDY_" + "_".join(str(p) for p in first["loc"]).upper()
        raise ConfigError(f"{name}: {first['msg']}") from None
    logsetup.configure(settings.log_level)
    ctx.obj = settings


# Questions -------------------------------------------------------------------------------


@app.command()
def ask(ctx: typer.Context,
        question: Annotated[list[str] | None, typer.Argument(help="Your question (quotes optional).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print question, answer and sources as JSON.")] = False,
        ) -> None:
    """Answer one question from the notes, with citations."""
    settings = _settings(ctx)
    text = " ".join(question or [])
    reply = _with_app(settings, READ_ONLY, lambda a: a.buddy.ask(text))
    if as_json:
        typer.echo(json.dumps(reply.data, ensure_ascii=False, indent=2))
    else:
        _print(reply, settings.data_dir / "images")


@app.command()
def ingest(ctx: typer.Context,
           as_json: Annotated[bool, typer.Option("--json", help="Print the counts and skipped files as JSON.")] = False,
           check: Annotated[bool, typer.Option(
               "--check", help="Also verify that every passage has its sentences and every note was written "
               "whole, and repair what is not.")] = False) -> None:
    """Index the notes folder: embeds only what is new or changed, removes what was deleted.

    One ingest runs at a time; a second one waits for it. An ingest that was interrupted is
    finished by the next one.
    """
    settings = _settings(ctx)

    async def work(running: App):
        return await asyncio.to_thread(_ingest_with_progress, running, not as_json, check)

    problems, report = _with_app(settings, NO_INDEX, work)
    if as_json:
        out = report.as_dict()
        if check:
            out["problems"] = problems
        typer.echo(json.dumps(out, ensure_ascii=False))
        return
    if report.skipped:
        err.print(f"{len(report.skipped)} file(s) not indexed: "
                  + "; ".join(f"{s['path']} ({s['reason']})" for s in report.skipped), markup=False, highlight=False)
    if check:
        typer.echo("index consistent" if not problems else "repaired: " + "; ".join(problems))
    for line in report.repaired:
        typer.echo(f"repaired {line}")
    rate = f", {report.embedded / report.seconds:.0f} texts/s" if report.embedded and report.seconds else ""
    typer.echo(f"{report.added} added, {report.updated} updated, {report.removed} removed, "
               f"{report.unchanged} unchanged in {report.notes} note(s){rate} ({settings.notes_dir})")


def _ingest_with_progress(running: App, progress: bool, check: bool):
    kb = running.knowledge
    if check:
        return kb.check(repair=True)
    if not progress or not sys.stderr.isatty():
        return [], kb.ingest()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("embedding passages"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]:.0f} passages/s"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=None, rate=0.0)
        return [], kb.ingest(progress=lambda p: bar.update(task, completed=p.done, total=p.total or None,
                                                           rate=p.rate))


@app.command("eval")
def evaluate(ctx: typer.Context,
             questions: Annotated[list[Path] | None, typer.Option(
                 "--questions", help="JSONL of {q, passage} (passage null = not covered); default: the dev sets and "
                 "the blind test sets.")] = None,
             as_json: Annotated[bool, typer.Option("--json")] = False,
             verbose: Annotated[bool, typer.Option("--verbose", "-v", help="One row per question.")] = False,
             mode: Annotated[str, typer.Option(
                 "--mode", help="'retrieval' (default), or 'llm': every question through the configured language "
                 "model, scored on citations and fallbacks.")] = "retrieval") -> None:
    """Measure retrieval (hit@1, hit@3, MRR), citations, key sentences quoted and abstention accuracy on
    evaluation sets."""
    from knowledge.evaluate import EVAL_SETS, load_cases
    from knowledge.evaluate import evaluate as run_eval

    settings = _settings(ctx)
    files = questions or list(EVAL_SETS.values())
    for path in files:
        if not path.is_file():
            raise UserInputError(f"evaluation set not found: {path}")
    if mode not in ("retrieval", "llm"):
        raise UserInputError(f"--mode is 'retrieval' or 'llm', not {mode!r}")
    if mode == "llm":
        _evaluate_model(settings, files, as_json, verbose)
        return

    async def work(running: App) -> dict:
        return {p.stem: await asyncio.to_thread(run_eval, running.knowledge, load_cases(p)) for p in files}

    results = _with_app(settings, READ_ONLY, work)
    if as_json:
        _echo_results(results, verbose)
        return
    for name, result in results.items():
        rows = result.pop("rows")
        if verbose:
            for r in rows:
                ok = (r["rank"] == 1 and r["cited"]) if r["should_answer"] else not r["grounded"]
                typer.echo(f"{'✓' if ok else '✗'} rank={r['rank']} cited={r['cited']} grounded={r['grounded']} "
                           f"conf={r['confidence']:.3f}  {r['question']}")
        typer.echo(f"{name}: questions {result['questions']} ({result['answerable']} answerable)  "
                   f"hit@1 {result['hit@1']:.3f}  hit@3 {result['hit@3']:.3f}  MRR {result['mrr']:.3f}  "
                   f"right passage cited {result['right_passage_cited']:.3f}  "
                   f"key sentence quoted {result['key_quoted']:.3f}  "
                   f"abstention accuracy {result['abstention_accuracy']:.3f} "
                   f"({result['answerable_abstained']} answerable abstained, "
                   f"{result['out_of_scope_answered']} out-of-scope answered; "
                   f"best threshold on this set {result['best_threshold']:.3f})")


def _echo_results(results: dict[str, dict], verbose: bool) -> None:
    """Scores per evaluation set as JSON (one set: its scores alone); rows only with --verbose."""
    out = {name: {k: v for k, v in r.items() if verbose or k != "rows"} for name, r in results.items()}
    typer.echo(json.dumps(out if len(out) > 1 else next(iter(out.values())), indent=2))


def _evaluate_model(settings: Settings, files: list[Path], as_json: bool, verbose: bool) -> None:
    from bot.evaluation import evaluate_model
    from knowledge.evaluate import load_cases

    if not settings.llm_configured:
        raise UserInputError("no language model is configured: set STUDYBUDDY_LLM_BASE_URL and STUDYBUDDY_LLM_MODEL")

    async def work(running: App) -> dict:
        return {p.stem: await evaluate_model(running.buddy, load_cases(p)) for p in files}

    results = _with_app(settings, READ_ONLY, work)
    if as_json:
        _echo_results(results, verbose)
        return
    for name, result in results.items():
        if verbose:
            for r in result["rows"]:
                typer.echo(f"{r['outcome']:<24} {r['question']}")
        typer.echo(f"{name}: questions {result['questions']}  model answers {result['model_answers']}  "
                   f"citations valid {result['citations_valid']}  right passage cited {result['cited_expected']}  "
                   f"model failures {result['model_failures']}  fallback ok {result['fallback_ok']}  "
                   f"abstention accuracy {result['abstention_accuracy']}  outcomes {result['outcomes']}")


# The chat and the bot --------------------------------------------------------------------


@app.command()
def chat(ctx: typer.Context) -> None:
    """Chat in the terminal: ask questions, /tokenize, /quiz."""
    _chat(_settings(ctx))


@app.command()
def run(ctx: typer.Context) -> None:
    """Start the bot: Discord and/or Slack when their tokens are set (one process), else the terminal chat."""
    settings = _settings(ctx)
    surfaces = _surfaces(settings)
    if not surfaces:
        _chat(settings)
        return

    async def go() -> None:
        async with build_app(settings) as running, asyncio.TaskGroup() as group:
            # Each surface runs until the process stops; one failing to start stops the others.
            for serve in surfaces:
                group.create_task(serve(running))

    asyncio.run(go())


@app.command()
def serve(ctx: typer.Context) -> None:
    """What the containers run: the configured platforms (none: only the HTTP endpoint) plus
    /healthz and /metrics on STUDYBUDDY_HTTP_HOST:STUDYBUDDY_HTTP_PORT."""
    from adapters.http import OpsServer

    settings = _settings(ctx)
    surfaces = _surfaces(settings)
    parts = Parts(ingest=settings.ingest_at_start, wait_for_index=not settings.ingest_at_start)

    async def go() -> None:
        running = build_app(settings, parts=parts)
        ops = OpsServer(running, settings.http_host, settings.http_port)
        await ops.start()  # first, so /healthz says what start-up is doing
        try:
            await running.start()
            async with asyncio.TaskGroup() as group:
                for serve_surface in surfaces:
                    group.create_task(serve_surface(running))
                if not surfaces:
                    group.create_task(asyncio.Event().wait())  # only the endpoint: run until stopped
        finally:
            await running.stop()
            await ops.stop()

    asyncio.run(go())


def _surfaces(settings: Settings) -> list:
    """The serve() of every platform whose token is set."""
    surfaces = []
    if settings.discord_token is not None:
        from adapters.discord import serve as serve_discord

        surfaces.append(serve_discord)
    if settings.slack_bot_token is not None:
        from adapters.slack import serve as serve_slack

        surfaces.append(serve_slack)
    return surfaces


def _chat(settings: Settings) -> None:
    from adapters.console.chat import ConsoleChat

    console = Console()

    async def go() -> None:
        with console.status("loading the notes…"):
            running = await build_app(settings).start()
        try:
            chat_ = ConsoleChat(running.buddy, console, settings.data_dir / "images")
            await running.attach("console", chat_)
            await chat_.run()
        finally:
            await running.stop()

    asyncio.run(go())


# Registered command groups -----------------------------------------------------------------


def _register() -> None:
    from adapters.console.quiz_cli import register as register_quiz
    from adapters.console.tokenize_cli import register as register_tokenize

    register_tokenize(app)  # cites the notes by keyword: no embedding model to load
    register_quiz(app, lambda ctx, work: _with_app(_settings(ctx), QUIZ, work))


_register()


def main(argv: list[str] | None = None) -> None:
    """The one error handler of the CLI (in this order): usage errors as click prints them (exit 2);
    Ctrl-C quietly (130); our own errors as one line (2); a bug as its traceback (1)."""
    try:
        app(args=argv, standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        err.print()
        sys.exit(130)
    except Exception as exc:
        if isinstance(exc, ExceptionGroup):  # several surfaces ran in a task group: report the first known error
            exc = next((e for e in _leaves(exc) if operator_message(e) is not None), exc)
        message = operator_message(exc)
        if message is None:
            raise
        err.print(Text.assemble(("error: ", "bold red"), message), highlight=False, soft_wrap=True)
        sys.exit(2)


def _leaves(group: BaseExceptionGroup) -> list[BaseException]:
    out: list[BaseException] = []
    for exc in group.exceptions:
        out.extend(_leaves(exc) if isinstance(exc, BaseExceptionGroup) else [exc])
    return out


if __name__ == "__main__":
    main()
