"""How a question is put, read for what it asks: the essence of a thing asked for ("at its core", "like what is it
doing"), idioms of time ("in the end", "ends up doing"), the gist of one thing, a question with the asker's story
after it, the notes' words for everyday ones in what is quoted, and which passage an answer opens with."""


from knowledge.answer import _leader, _Scored
from knowledge.retrieval import story_and_question
from knowledge.types import Hit
from tests.support import StemWords, WordHashEmbedder, evidence_by_heading, notes_knowledge_base

POTTERY = """# Pottery

## Kilns

A kiln is an oven that fires clay at high heat. Gas kilns solve smoke problems.

## Glazing

Glazing coats the pot in glass. Glazing is hard to master.
In short, good glazing is about thin even coats and patience.

## Throwing

Throwing shapes clay on a wheel.
In summary: the wheel must spin at a steady speed.
"""


def test_a_thing_asked_for_its_essence_is_asked_what_it_is(tmp_path):
    """ "what is a kiln at its core, like what is it fundamentally doing", "ok dumb q but whats a kiln ... like in
    one line", "kilns described in one sentence? ...", "what are kilns again? ...": each asks what a kiln is, so
    the sentence "A kiln is ..." counts as the definition asked for."""
    r = notes_knowledge_base(tmp_path, {"p.md": POTTERY}, WordHashEmbedder()).retriever
    for q in ("wait so what is a kiln at its core, like what is it fundamentally doing",
              "ok so fundamentally what IS a kiln? like in one line",
              "ok dumb q but whats a kiln at its core like in one line",
              "kilns described in one sentence? i need a simple def for my flashcards",
              "what are kilns again? the notes had a nice one-liner"):
        assert r.analyze(q).defined == frozenset({"kiln"}), q
    assert "wait" not in r.analyze("wait so what is a kiln").terms
    # The answer's form asked mid-message is no word of what is asked.
    assert not {"one", "line", "liner"} & set(r.analyze("kilns in one line? like X + Y").terms)


def test_idioms_of_time_are_no_words_of_what_is_asked(tmp_path):
    """ "in the end" and "ends up <doing>" mean eventually: no "end" for a passage's "end up with" to match."""
    r = notes_knowledge_base(tmp_path, {"p.md": POTTERY}, WordHashEmbedder()).retriever
    for q in ("does the kiln actually harden the clay in the end",
              "so the clay ends up truly becoming glass, right?",
              "after all that does the glaze crack"):
        assert "end" not in r.analyze(q).terms and "all" not in r.analyze(q).terms, q
    assert "end" in r.analyze("which end of the kiln is hotter").terms


def test_a_gist_is_of_what_the_question_names(tmp_path):
    """ "tl;dr of the glazing section": the "In short, ..." line on glazing sums it up, not another passage's "In
    summary: ..." on the wheel; "Summarize, in one line, ..." asks for a gist, "what does glazing summarize" not."""
    r = notes_knowledge_base(tmp_path, {"p.md": POTTERY}, WordHashEmbedder()).retriever
    query = r.analyze("tl;dr of the glazing section? i skimmed it and missed the summary line")
    assert query.gist
    assert evidence_by_heading(r, query, "gist") == {"Kilns": 0.0, "Glazing": 1.0, "Throwing": 0.0}
    # Naming nothing, any passage that sums up gives the gist.
    assert evidence_by_heading(r, r.analyze("tl;dr?"), "gist") == {"Kilns": 0.0, "Glazing": 1.0, "Throwing": 1.0}
    assert r.analyze("Summarize, in one line, what the notes say good glazing is about.").gist
    assert r.analyze("what's the one-line summary of glazing?").gist
    assert not r.analyze("what does the glaze summarize").gist


def test_a_question_with_the_askers_story_after_it_is_read_as_the_question():
    assert story_and_question("tl;dr of glazing? i skimmed it and missed the summary line") == (
        "i skimmed it and missed the summary line", "tl;dr of glazing?")
    assert story_and_question("wait so tokens != words? my tokenizer split it into 3 pieces lol") == (
        "my tokenizer split it into 3 pieces lol", "wait so tokens != words?")
    # A second question, a guess to check, or a story first are not such an afterword.
    assert story_and_question("does it understand words? im confused, so where does the learning come from") is None
    assert story_and_question("is a kiln an oven? i think it is") is None


def test_the_notes_word_for_an_everyday_one_counts_half_in_what_is_quoted(tmp_path):
    """ "is glazing easy?" (the notes: "hard to master"): the sentence holding the notes' word for "easy" holds half
    of that term; one holding "easy" itself, all of it."""
    r = notes_knowledge_base(tmp_path, {"p.md": POTTERY}, WordHashEmbedder()).retriever
    query = r.analyze("is glazing easy")
    weights = r.term_weights(query)
    total = sum(weights.values())
    easy = weights["easi"] / total
    base = r.term_share(query, "Glazing coats the pot in glass.")
    assert abs(r.term_share(query, "Glazing is hard to master.") - (base + easy / 2)) < 1e-9
    assert abs(r.term_share(query, "Glazing is easy to master.") - (base + easy)) < 1e-9


def test_a_rival_that_only_sounds_like_the_question_does_not_take_the_lead_from_far_better_coverage():
    """ "how does giving the model a knowledge base stop it from making things up": the first passage ("RAG",
    a heading the model reads as nothing) holds most of the question's words; another's "The model doesn't "know"
    in a human sense." sounds far closer but names nothing asked that the first lacks. The first leads; with
    coverage alike, the far closer sentence still does."""
    def said(rank, text, score, cos):
        return [_Scored(rank, 0, text, score, False, cos=cos)]

    per_hit = [said(0, "RAG consists of augmenting models with a knowledge base.", 0.34, 0.27),
               said(1, "The model doesn't know in a human sense.", 0.59, 0.58)]
    asked = StemWords("how does giving the model a knowledge base stop it from making things up")
    text = "RAG consists of augmenting models with a knowledge base. It limits the model to the data."
    hits = (Hit("c0", "Notes › RAG", text, "n.md", 1.0, heading=-0.04, coverage=0.5),
            Hit("c1", "Notes › Knowing", "The model doesn't know.", "n.md", 0.9, heading=0.39, coverage=0.1))
    assert _leader(0, [1], per_hit, hits, asked, StemWords()) == (0, [1])
    hits = (hits[0], Hit("c1", "Notes › Knowing", "The model doesn't know.", "n.md", 0.9, heading=0.39, coverage=0.4))
    assert _leader(0, [1], per_hit, hits, asked, StemWords()) == (1, [])


def test_shipped_notes_answer_with_the_passage_that_says_it(knowledge_base):
    for question, said in (
            ("wait so what is an LLM at its core, like what is it fundamentally doing", "next-token predictors"),
            ("is it easy to tell what's going on inside a transformer", "Hard to explain how they work internally"),
            ("how exactly does giving the model a knowledge base stop it from making things up", "reducing hellucinations"),
            ("tl;dr of the prompting section? i skimmed it and missed the summary line", "good prompting is about"),
            ("so does the model actually understand what the words mean in the end", "never understands their meaning")):
        answer = knowledge_base.answer(question)
        assert answer.grounded, question
        assert said in answer.sources[0].text, (question, answer.sources[0].title)
