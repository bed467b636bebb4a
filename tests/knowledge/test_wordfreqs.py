"""wordfreq's lists as the answerer looks words up in them: the same figures from the cache as from wordfreq,
made once, and a cold process that never loads the lists."""

from __future__ import annotations

import subprocess
import sys

import pytest
from wordfreq import get_frequency_dict

from knowledge.wordfreqs import WordFrequencies

WORDS = ["the", "nutshell", "embeddings", "embedding", "llama", "lora", "atention", "promt", "zzqxv", "café", "it's"]


@pytest.mark.parametrize("wordlist", ["small", "large"])
def test_cached_lists_give_wordfreqs_own_figures(tmp_path, wordlist):
    """Every word, common, rare, a typo or unknown, has the frequency wordfreq gives (None when it has none)."""
    truth = get_frequency_dict("en", wordlist=wordlist)
    cached = WordFrequencies(tmp_path / "words")
    assert [cached.get(w, wordlist) for w in WORDS] == [truth.get(w) for w in WORDS]
    assert cached.get("zzqxv", wordlist) is None and cached.get("the", wordlist) > 0.01


def test_the_copy_is_made_once_and_whole(tmp_path):
    """One file in the cache folder, no temporary file left; a second opener reuses it unchanged."""
    folder = tmp_path / "words"
    WordFrequencies(folder).load()
    (made,) = folder.iterdir()
    assert made.suffix == ".sqlite3"
    stamp = made.stat().st_mtime_ns
    again = WordFrequencies(folder)
    again.load()
    assert [p.name for p in folder.iterdir()] == [made.name] and made.stat().st_mtime_ns == stamp
    assert again.get("nutshell", "large") == get_frequency_dict("en", wordlist="large")["nutshell"]


def test_an_unwritable_cache_still_answers(tmp_path):
    """A cache path that cannot be a folder (a file is there) costs start-up time, not answers."""
    blocker = tmp_path / "words"
    blocker.write_text("not a folder")
    frequencies = WordFrequencies(blocker)
    assert frequencies.get("nutshell", "small") == get_frequency_dict("en", wordlist="small").get("nutshell")


def test_a_cold_process_looks_words_up_without_loading_wordfreq(tmp_path):
    """Once the copy is made, a new process answers how rare a word is without importing wordfreq (about half a
    second of a cold `studybuddy ask`), and with the same figure."""
    WordFrequencies(tmp_path / "words").load()
    code = (
        "import sys\n"
        "from knowledge import retrieval\n"
        f"retrieval.use_word_cache(__import__('pathlib').Path({str(tmp_path / 'words')!r}))\n"
        "print(retrieval.zipf('nutshell'), retrieval.written_word('llama'), retrieval.written_word('atention'))\n"
        "print('wordfreq' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    from knowledge import retrieval

    assert out[0] == f"{retrieval.zipf('nutshell')} True False"
    assert out[1] == "False"


def test_a_damaged_copy_is_set_aside_and_answers_stay_right(tmp_path):
    """A copy cut short (a full disk, a crash of the machine) answers from wordfreq itself and is made anew."""
    folder = tmp_path / "words"
    WordFrequencies(folder).load()
    (made,) = folder.iterdir()
    made.write_bytes(made.read_bytes()[:4096])
    frequencies = WordFrequencies(folder)
    assert frequencies.get("nutshell", "large") == get_frequency_dict("en", wordlist="large")["nutshell"]
    assert not made.exists()
    WordFrequencies(folder).load()
    assert made.exists()


def test_a_process_with_the_lists_open_makes_no_second_copy(tmp_path):
    """A second data folder in the same process (the tests start hundreds of apps) reuses the lists already
    open instead of spending seconds on a copy of its own."""
    code = (
        "from pathlib import Path\n"
        "from knowledge import retrieval\n"
        f"retrieval.use_word_cache(Path({str(tmp_path / 'one')!r}))\n"
        "retrieval.load_word_lists()\n"
        f"retrieval.use_word_cache(Path({str(tmp_path / 'two')!r}))\n"
        "retrieval.load_word_lists()\n"
        "print(retrieval.zipf('nutshell'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    from knowledge import retrieval

    assert out == str(retrieval.zipf("nutshell"))
    assert any((tmp_path / "one").iterdir()) and not (tmp_path / "two").exists()
