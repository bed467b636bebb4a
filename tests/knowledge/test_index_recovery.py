"""An index survives what users and operators do to it: Ctrl-C or a kill at any point of an ingest,
a Chroma server that dies mid-ingest, several ingests at once, a read-only data folder, a library
past Chroma's batch limit. The next ingest heals what an interruption left, with no user action.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.index import NotesIndex, make_client
from knowledge.notes import read_library
from knowledge.text import sentences
from tests.support import ROOT, SHIPPED_NOTES, WordHashEmbedder, chroma_server

# Runs an ingest in its own process and SIGKILLs it just before its Nth write to Chroma
# (N = 0: never), printing the writes it made: [collection, method] per call.
KILLER = r"""
import json, os, signal, sys
from pathlib import Path
import chromadb.api.models.Collection as C
import knowledge.index as ix
from knowledge.base import KnowledgeBase
from tests.support import WordHashEmbedder

ix.EMBED_BATCH = 8  # several batches per note, so there are points between them
kill_at, calls = int(sys.argv[3]), []
for method in ("add", "upsert", "update", "delete"):
    def wrap(original, method=method):
        def write(self, *args, **kwargs):
            calls.append([self.name, method])
            if len(calls) == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(self, *args, **kwargs)
        return write
    setattr(C.Collection, method, wrap(getattr(C.Collection, method)))
emb = WordHashEmbedder()
KnowledgeBase(Path(sys.argv[1]), ix.NotesIndex(ix.make_client(Path(sys.argv[2])), emb), emb).ingest()
print(json.dumps(calls))
"""


def _kill_run(notes: Path, chroma: Path, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", KILLER, str(notes), str(chroma), str(kill_at)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def _library(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    shutil.copytree(SHIPPED_NOTES, notes)
    (notes / "week2.md").write_text(
        "# Week 2\n\n## Beam search\n\nBeam search keeps the best few partial outputs at each step. "
        "It trades speed for better sequences.\n\n## Temperature\n\nTemperature scales the logits before "
        "the softmax. Low values make sampling greedy.\n", encoding="utf-8")
    return notes


def _kb(notes: Path, client, emb=None) -> KnowledgeBase:
    emb = emb or WordHashEmbedder()
    return KnowledgeBase(notes, NotesIndex(client, emb), emb)


def _assert_whole(kb: KnowledgeBase, notes: Path) -> None:
    """The index holds exactly the notes' passages, each with all its sentences, and answers."""
    expected = {c.id: c for c in read_library(notes).chunks}
    loaded = kb.index.load_chunks()
    assert {c.id: c.text for c in loaded} == {i: c.text for i, c in expected.items()}
    owners = [m["chunk_id"] for m in kb.index.sentences.get(include=["metadatas"])["metadatas"]]
    assert sorted(owners) == sorted(i for i, c in expected.items() for _ in sentences(c.text))
    assert kb.index.check(list(expected.values()), repair=False) == []
    status = kb.status()
    assert status.ready and not status.incomplete
    answer = kb.answer("what does beam search keep?")
    assert answer.grounded and answer.statements and "Beam search" in answer.sources[0].text


def _points(calls: list[list[str]]) -> dict[str, int]:
    """Named moments of an ingest, as the index of the write to die before."""
    first = {}
    for n, (name, method) in enumerate(calls, start=1):
        first.setdefault((name, method), n)
    sentences_then_passages = next(n for n in range(2, len(calls) + 1)
                                   if calls[n - 2] == ["notes_sentences", "upsert"] and calls[n - 1] == ["notes", "upsert"])
    return {
        "note marked writing": first[("notes_manifest", "upsert")] + 1,
        "first sentences written": first[("notes_sentences", "upsert")],
        "between a passage's sentences and the passage": sentences_then_passages,
        "halfway": len(calls) // 2,
        "before the index is marked complete": len(calls),
    }


@pytest.mark.slow
def test_kill_at_any_point_of_a_first_ingest_heals_on_the_next(tmp_path):
    notes = _library(tmp_path)
    dry = _kill_run(notes, tmp_path / "dry", 0)
    assert dry.returncode == 0, dry.stderr
    points = _points(json.loads(dry.stdout))
    for name, at in points.items():
        chroma = tmp_path / f"chroma-{at}"
        killed = _kill_run(notes, chroma, at)
        assert killed.returncode == -signal.SIGKILL, (name, killed.stderr)
        kb = _kb(notes, make_client(chroma))
        assert not kb.ready(), name  # a half-built first index is not served as ready
        kb.ingest()
        _assert_whole(kb, notes)


@pytest.mark.slow
def test_kill_during_an_edit_heals_and_reembeds_only_the_edit(tmp_path):
    """Edits, a deleted passage and a new note; the run dies deleting or writing; the next run finishes."""
    notes = _library(tmp_path)
    base = tmp_path / "base"
    assert _kill_run(notes, base, 0).returncode == 0
    week2 = notes / "week2.md"
    week2.write_text(week2.read_text(encoding="utf-8").replace("greedy", "close to greedy decoding")
                     .replace("It trades speed for better sequences.", ""), encoding="utf-8")
    (notes / "week3.md").write_text("# Week 3\n\n## Top-p\n\nNucleus sampling keeps the smallest set of tokens "
                                    "whose probability adds up to p.\n", encoding="utf-8")
    dry_copy = tmp_path / "dry"
    shutil.copytree(base, dry_copy)
    calls = json.loads(_kill_run(notes, dry_copy, 0).stdout)
    deletes = [n for n, c in enumerate(calls, start=1) if c == ["notes_sentences", "delete"]]
    writes = [n for n, c in enumerate(calls, start=1) if c == ["notes", "upsert"]]
    for at in (deletes[0], writes[0], len(calls)):
        chroma = tmp_path / f"chroma-{at}"
        shutil.copytree(base, chroma)
        assert _kill_run(notes, chroma, at).returncode == -signal.SIGKILL
        emb = WordHashEmbedder()
        kb = _kb(notes, make_client(chroma), emb)
        kb.ingest()
        _assert_whole(kb, notes)
        # Only the two changed notes' passages were embedded again, never the 41 of week 1.
        assert emb.texts_embedded < 20, at


def test_an_index_with_passages_but_no_sentences_heals(tmp_path):
    """What an interrupted ingest of an earlier version left (41 passages, 0 sentences, no manifest)."""
    notes = _library(tmp_path)
    client = make_client(tmp_path / "chroma")
    kb = _kb(notes, client)
    kb.ingest()
    client.delete_collection("notes_sentences")
    client.delete_collection("notes_manifest")
    kb = _kb(notes, client)
    assert kb.answer("what does beam search keep?").statements == ()  # the bug: an empty answer
    report = kb.ingest()
    assert report.repaired and report.added == 0
    _assert_whole(kb, notes)


def test_check_finds_and_repairs_what_was_broken_by_hand(tmp_path):
    notes = _library(tmp_path)
    kb = _kb(notes, make_client(tmp_path / "chroma"))
    kb.ingest()
    some = kb.index.load_chunks()[3]
    kb.index.sentences.delete(where={"chunk_id": some.id})
    kb.index.sentences.upsert(ids=["stray:0"], embeddings=[[1.0] + [0.0] * 63], documents=["orphan"],
                              metadatas=[{"chunk_id": "stray", "position": 0}])
    problems, report = kb.check(repair=True)
    assert any("without all their sentences" in p for p in problems)
    assert any("of no passage" in p for p in problems)
    assert report is not None and report.updated >= 1
    _assert_whole(kb, notes)
    assert kb.check(repair=True)[0] == []


class _SlowEmbedder(WordHashEmbedder):
    def embed(self, texts):
        time.sleep(0.3)
        return super().embed(texts)


@pytest.mark.slow
def test_chroma_server_dying_mid_ingest_heals_after_restart(tmp_path, monkeypatch):
    import knowledge.index as ix

    monkeypatch.setattr(ix, "EMBED_BATCH", 4)
    notes = _library(tmp_path)
    store = tmp_path / "server"
    with chroma_server(store) as url:
        port = int(url.rsplit(":", 1)[1])
        kb = _kb(notes, make_client(chroma_url=url), _SlowEmbedder())
        failed = []

        def run():
            try:
                kb.ingest()
            except Exception as exc:  # the server is gone: the client raises
                failed.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 60
        while kb.index.passage_count() < 8 and time.monotonic() < deadline:
            time.sleep(0.1)
        url.process.kill()
        worker.join(60)
        assert failed, "the ingest should have failed when its server died"
    with chroma_server(store, port=port) as url:
        kb = _kb(notes, make_client(chroma_url=url))
        assert not kb.ready()
        kb.ingest()
        _assert_whole(kb, notes)


def _cli(args: list[str], data: Path, notes: Path, **env) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("studybuddy")
    return subprocess.Popen([str(exe), *args], text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "STUDYBUDDY_DATA_DIR": str(data), "STUDYBUDDY_NOTES_DIR": str(notes),
                                 **env})


@pytest.mark.slow
def test_concurrent_ingests_embed_once(tmp_path, models_cache):
    """Three `studybuddy ingest` at once: one embeds, the others wait for it and find nothing to do."""
    notes = _library(tmp_path)
    data = tmp_path / "data"
    procs = [_cli(["ingest", "--json"], data, notes, STUDYBUDDY_CACHE_DIR=str(models_cache)) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    reports = [json.loads(out) for out, _ in outs]
    assert sorted(bool(r["embedded"]) for r in reports) == [False, False, True]
    passages = len(read_library(notes).chunks)
    assert sorted(r["added"] for r in reports) == [0, 0, passages]


@pytest.mark.slow
def test_ask_on_a_read_only_data_folder(tmp_path, models_cache):
    """An index on a read-only mount answers: questions never write."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to ask as another user")
    # Root ignores permissions: build as root, then ask as nobody, in a tree nobody can read but not write.
    shared = Path(tempfile.mkdtemp(prefix="sb-readonly-"))
    try:
        notes = _library(shared)
        data, cache = shared / "data", shared / "cache"
        shutil.copytree(models_cache / "models", cache / "models")
        built = _cli(["ingest", "--json"], data, notes, STUDYBUDDY_CACHE_DIR=str(cache))
        assert built.wait(300) == 0
        for path in (shared, *shared.rglob("*")):
            path.chmod(0o555 if path.is_dir() else 0o444)
        exe = Path(sys.executable).with_name("studybuddy")
        out = subprocess.run(
            [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", str(exe), "ask", "--json",
             "what does beam search keep?"], capture_output=True, text=True, timeout=300,
            env={**os.environ, "STUDYBUDDY_DATA_DIR": str(data), "STUDYBUDDY_NOTES_DIR": str(notes),
                 "STUDYBUDDY_CACHE_DIR": str(cache), "HOME": str(shared)})
        assert out.returncode == 0, out.stderr
        reply = json.loads(out.stdout)
        assert reply["grounded"] and "Beam search" in json.dumps(reply)
        assert not any(p.stat().st_uid == 65534 for p in shared.rglob("*"))  # nothing written
    finally:
        for path in (shared, *shared.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(shared)


def test_a_library_past_the_batch_limit_ingests_again_and_answers(tmp_path):
    """6,000+ passages: more than one Chroma batch (5,461 embedded). A second ingest and an ask work."""
    notes = tmp_path / "notes"
    notes.mkdir()
    topics = ["attention", "embedding", "tokenizer", "softmax", "gradient", "decoder"]
    body = "\n\n".join(f"## Topic {n}\n\nFact {n} about {topics[n % 6]}: value {n * 7} matters. It is note {n}."
                       for n in range(6100))
    (notes / "big.md").write_text("# Big\n\n" + body + "\n", encoding="utf-8")
    client = make_client(tmp_path / "chroma")
    kb = _kb(notes, client)
    first = kb.ingest()
    assert first.added >= 6000
    (notes / "big.md").write_text("# Big\n\n" + body.replace("value 4242 matters", "value 1 matters") + "\n",
                                  encoding="utf-8")
    emb = WordHashEmbedder()
    kb = _kb(notes, client, emb)
    again = kb.ingest()
    assert (again.updated, again.added, again.unchanged) == (1, 0, first.added - 1)
    assert emb.texts_embedded == 1 + 2  # the passage and its two sentences
    answer = kb.answer("what is fact 4242 about?")
    assert answer.sources and answer.sources[0].title.endswith("Topic 4242")


@pytest.mark.slow
def test_ingest_names_skipped_files_and_check_reports_a_consistent_index(tmp_path, models_cache):
    notes = _library(tmp_path)
    (notes / "picture.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (notes / "outline.md").write_text("# Outline\n\n## Later\n", encoding="utf-8")
    (notes / "latin.txt").write_bytes("# Café\n\nLe modèle prédit le mot suivant.\n".encode("cp1252"))
    data, env = tmp_path / "data", {"STUDYBUDDY_CACHE_DIR": str(models_cache)}
    out, err = _cli(["ingest", "--json"], data, notes, **env).communicate(timeout=300)
    report = json.loads(out)
    assert {s["path"] for s in report["skipped"]} == {"picture.md", "outline.md"}
    assert all(s["reason"] for s in report["skipped"]) and report["notes"] == 3
    human = _cli(["ingest", "--check"], data, notes, **env)
    out, err = human.communicate(timeout=300)
    assert human.returncode == 0, err
    assert "index consistent" in out and "0 added" in out
    assert "2 file(s) not indexed" in err and "picture.md (not a text file" in err and "outline.md (no passage" in err


def test_answers_while_the_index_reloads_never_mix_two_indexes(tmp_path):
    """A bot answers while notes change under it: each answer comes whole from one index."""
    notes = _library(tmp_path)
    kb = _kb(notes, make_client(tmp_path / "chroma"))
    kb.ingest()
    kb.retriever  # noqa: B018 - serving, as a running bot is
    errors: list[Exception] = []
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            try:
                kb.answer("what does beam search keep?")
            except Exception as exc:  # an answer that mixed two indexes fails to index one of them
                errors.append(exc)
                return

    askers = [threading.Thread(target=ask) for _ in range(2)]
    for t in askers:
        t.start()
    for k in range(6):
        (notes / f"extra{k}.md").write_text(f"# Extra {k}\n\n## Variant {k}\n\nNucleus sampling variant {k} keeps "
                                            "the likeliest tokens. It samples from them.\n", encoding="utf-8")
        kb.ingest()
    done.set()
    for t in askers:
        t.join()
    assert errors == []
    assert any(s.source == "extra5.md" for s in kb.answer("what does nucleus sampling variant 5 keep?").sources)
