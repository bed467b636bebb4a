"""The passage that answers what is asked comes first, not the one that matches the question's topic
word: a word every leading passage shares ("index", "BERT", "embeddings") says what the question is
about, the rest of it what is asked; a digest of unrelated lines is answered by one of its lines.

Small synthetic notes and the shipped notes, indexed with the real model.
"""

import pytest

from tests.support import WordHashEmbedder, evidence_by_heading, notes_knowledge_base

NOTES = """# Databases

## How are indexes built?

To build an index, the database reads every row of the table and sorts the keys of the indexed column.
The sorted keys are then written out as the pages of the index.
Building an index on an empty table is instant; the index then grows as rows arrive.

## How is an index stored?

Most indexes are stored as B-trees, with keys kept sorted so a lookup takes logarithmic time.
The leaf pages of the index point at the rows of the table.

## Maintenance windows

Heavy work is scheduled at night, when few users are online.
On a table with a billion rows, creating one can run for several hours.
Operators announce the window a week ahead.

## Limitations of indexes

- Every insert or update must change each index too
- Hard to predict which one the planner will choose
- Useless for columns where almost every value is the same

## What I Learned

- Vacuum reclaims the space left by deleted rows.
- Replicas copy the primary's log to stay in sync.
- A single query can combine several indexes at once.
- Caches keep hot pages in memory.

## Index types

A hash index answers equality lookups only.
A B-tree index answers equality and range lookups.
A bitmap index suits columns with few distinct values.
"""


@pytest.fixture(scope="module")
def kb(real_embedder, tmp_path_factory):
    return notes_knowledge_base(tmp_path_factory.mktemp("ranking"), {"db.md": NOTES}, real_embedder)


def _first(answer) -> str:
    return answer.hits[0].title.split(" › ")[-1]


def test_one_line_of_a_digest_answers_over_passages_about_the_topic(kb):
    """"Limitations of indexes" is about indexes; the digest's line is about queries using several."""
    answer = kb.answer("can one query use more than one index")
    assert _first(answer) == "What I Learned", [h.title for h in answer.hits]
    assert "A single query can combine several indexes at once." in [s.text for s in answer.statements]


def test_questions_the_headings_answer_still_find_them(kb):
    for question, heading in (("what is a hash index good for", "Index types"),
                              ("how are indexes built", "How are indexes built?"),
                              ("what do the leaf pages of an index point at", "How is an index stored?")):
        assert _first(kb.answer(question)) == heading, question


@pytest.mark.parametrize(("question", "key"), [
    # Every leading passage says "BERT" and "mask"; the one that says how the words are picked answers.
    ("how are the masked words in bert chosen", "randomly replaces some words with"),
    # Every leading passage says "embeddings" and "tokens"; the one that says into what answers.
    ("what do embeddings turn token ids into", "Embeddings are a way to translate tokens"),
])
def test_what_is_asked_decides_not_the_shared_topic_word(knowledge_base, question, key):
    answer = knowledge_base.answer(question)
    assert answer.grounded
    assert key in answer.hits[0].text, [h.title for h in answer.hits]
    assert key in answer.sources[0].text


def test_the_focus_of_a_question_leaves_out_the_words_the_leading_passages_share(tmp_path):
    notes = {"k.md": "# Kafka\n\n## Kafka topics\n\nA Kafka topic is a named stream of records.\n\n"
                     "## Kafka retention\n\nKafka throws old records away after seven days.\n\n"
                     "## Kafka consumers\n\nKafka consumers read records from a topic.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    r = base.retriever
    query = r.analyze("how does kafka decide which records get thrown away")
    everyone = list(range(len(r.chunks)))
    focus = r.focus(query, everyone)
    assert focus is not None and "kafka" not in focus.split() and "records" not in focus.split()
    assert {"decide", "thrown", "away"} <= set(focus.split())
    # Nothing shared that widely (or nothing left once it is gone): the question stays as it is.
    assert r.focus(r.analyze("what is retention"), everyone) is None
    assert r.focus(r.analyze("kafka records"), everyone) is None


def test_the_focus_of_a_question_leaves_out_the_phrase_that_points_at_a_part_of_the_notes(tmp_path):
    """'in the map story, what does the model do to the dots ...': "map story" says where the answer is, not what
    is asked; the question is told apart from its neighbours by the rest of it."""
    notes = {"k.md": "# Kafka\n\n## Kafka topics\n\nA Kafka topic is a named stream of records.\n\n"
                     "## Kafka retention\n\nKafka throws old records away after seven days.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("in the library story, what happens to old records")
    focus = r.focus(query, list(range(len(r.chunks))))
    assert focus is not None and not {"library", "story"} & set(focus.split()), focus
    assert {"happens", "old"} <= set(focus.split())


def test_the_focus_of_a_comparison_leaves_out_what_the_subject_is_compared_with(tmp_path):
    """'how does a transformer read a sentence compared to an RNN': the RNN sets the subject off; the passage
    about how the transformer reads is what is asked for, not the one about the RNN."""
    from knowledge.retrieval import foil_words

    assert foil_words("how does a transformer read a sentence compared to an rnn") == {"rnn"}
    assert foil_words("How does the Transformer look at a sentence differently from an RNN?") == {"rnn"}
    # A foil that does not end the question is left alone ("compared to X, what is Y better at" asks of both).
    assert foil_words("compared to an rnn, what is a transformer better at") == set()
    notes = {"k.md": "# Kafka\n\n## Kafka topics\n\nA Kafka topic is a named stream of records.\n\n"
                     "## Kafka retention\n\nKafka throws old records away after seven days.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    focus = r.focus(r.analyze("how long does kafka keep old records compared to rabbitmq"),
                    list(range(len(r.chunks))))
    assert focus is not None and "rabbitmq" not in focus.split() and "long" in focus.split(), focus


def test_confidence_counts_the_question_s_rare_words_held_in_one_sentence(kb):
    """A passage that states what is asked holds the question's rare words together in one sentence;
    one that only matches the topic word has them spread thin, or not at all: confidence tells them apart."""
    from knowledge.answer import confidence

    answer = kb.answer("what reclaims the space left by deleted rows")
    assert answer.grounded
    ev = answer.evidence
    assert ev["sentence_coverage"] >= 0.6, ev
    assert confidence(ev) > confidence({**ev, "sentence_coverage": 0.0}) + 0.02


def test_what_a_question_sets_aside_is_not_what_it_asks(tmp_path):
    """'besides X, how else ...': X leaves the question's terms and its focus, and the focus is always asked."""
    notes = {"k.md": "# Kafka\n\n## Kafka topics\n\nA Kafka topic is a named stream of records.\n\n"
                     "## Kafka retention\n\nKafka throws old records away after seven days.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    for question in ("besides retention, how else does kafka organise records",
                     "apart from retention what does kafka store in records"):
        query = r.analyze(question)
        assert query.asked is not None and "retention" not in query.asked.split(), query.asked
        assert "retent" not in query.terms and "record" in query.terms
        focus = r.focus(query, list(range(len(r.chunks))))
        assert focus is not None and "retention" not in focus.split()
    # Nothing left to ask once it is set aside: the question stays as it is.
    assert r.analyze("besides retention?").asked is None


def test_an_acronym_s_plural_finds_the_passage_that_writes_it_singular(tmp_path):
    """The stemmer leaves a word with no vowel alone: "RNNs" must still match "an RNN"."""
    notes = {"n.md": "# Networks\n\n## Recurrent networks\n\nAn RNN reads a sentence one word at a time.\n"
                     "It struggles with long sentences.\n\n"
                     "## Convolutions\n\nA CNN slides small filters over an image.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    query = base.retriever.analyze("what are RNNs bad at")
    assert "rnn" in query.terms, query.terms
    assert _first(base.answer("what are RNNs bad at")) == "Recurrent networks"
    # A plural the notes use as typed is matched as typed, and its singular only when the notes use it.
    assert "gpt" not in base.retriever.analyze("what are GPTs").terms


def test_everyday_words_of_a_question_also_match_the_words_notes_write_for_them(tmp_path):
    """ "the first step" is the notes' "initial phase", "more than one" their "multiple", and "done
    manually?" is answered by "done automatically"; an idiom ("step by step": in detail) stands for
    nothing else."""
    notes = {"n.md": "# Baking\n\n## Dough\n\nKneading is the initial phase of bread.\n\n"
                     "## Oven\n\nThe oven step comes last, and the first loaf of bread bakes unevenly.\n\n"
                     "## Mixing\n\nMixing happens automatically in the machine.\n\n"
                     "## Sizes\n\nA single loaf can weigh multiple kilos.\n\n"
                     "## Sales\n\nOne shop sells one loaf for each kilo of flour it buys.\n\n"
                     "## Salt\n\nSalt strongly affects the taste of the responses bakers get, never the colour.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    assert _first(base.answer("what is the first step for bread")) == "Dough"
    assert _first(base.answer("can one loaf weigh more than one kilo")) == "Sizes"
    r = base.retriever
    assert dict(r.analyze("is the dough mixed manually or").alternatives)["manual"] == {"automat"}
    assert dict(r.analyze("what is the first step").alternatives)["step"] == {"phase"}  # the notes' words only
    assert dict(r.analyze("explain baking step by step").alternatives) == {}
    alternatives = dict(r.analyze("does salt ever change the answers of several bakers").alternatives)
    assert alternatives == {"ever": {"never"}, "chang": {"affect"}, "answer": {"respons"}, "sever": {"multipl"}}


def test_asked_what_something_is_the_sentence_that_says_what_it_is_answers(tmp_path):
    """ "what are kilns", "what is a kiln, in one line": the line "A kiln is an oven ..." of a digest
    answers, over a passage about kilns that never says what one is."""
    notes = {"p.md": "# Pottery\n\n## Kiln care\n\nA kiln must cool slowly.\nIts shelves need cleaning after each firing.\n\n"
                     "## What I Learned\n\n- A kiln is an oven that fires clay.\n- Glaze melts at high heat.\n"
                     "- A wheel spins the clay.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    for question in ("what are kilns", "what is a kiln, in one line"):
        assert base.retriever.analyze(question).defined == {"kiln"}
        assert _first(base.answer(question)) == "What I Learned", question
    # A question that asks more than what X is asks no definition.
    assert base.retriever.analyze("what are kilns used for in practice").defined != {"kiln"}


@pytest.mark.parametrize("question", ["what are gradients", "explain gradients", "gradients explained?",
                                      "what do gradients mean"])
def test_a_definition_after_a_dash_answers_what_something_is(knowledge_base, question):
    """ "... using gradients — small mathematical nudges ...": the passage that says what gradients are,
    not the one named after a problem with them, however the question asks what they are."""
    answer = knowledge_base.answer(question)
    assert "small mathematical nudges" in answer.hits[0].text, [h.title for h in answer.hits]


def test_asked_what_something_is_notes_written_as_questions_answer_under_that_question(tmp_path):
    """Both passages say what kilns are; the one under the heading "What are kilns?" is the writer's answer."""
    notes = {"p.md": "# Pottery\n\n## Kilns\n\nKilns are ovens that fire clay, and kilns are hot.\n\n"
                     "## What are kilns?\n\nKilns are hot boxes that bake pottery.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    assert _first(base.answer("what are kilns")) == "What are kilns?"


def test_asked_which_kind_of_thing_the_passage_headed_by_one_of_that_kind_answers(tmp_path):
    """ "which water heater is inside the machine": the passage headed "Step 2: Brass Water Heater" names
    it, over a summary that says a water heater sits inside the machine."""
    notes = {"m.md": "# Coffee machine\n\n## Summary\n\nA grinder and a water heater sit inside the machine.\n\n"
                     "## Step 2: Brass Water Heater\n\nIt warms the water inside the machine to ninety degrees.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    r = base.retriever
    assert r.analyze("which water heater is inside the machine").kind == ("water", "heater")
    assert r.analyze("what is the machine").kind == ()
    assert _first(base.answer("which water heater is inside the machine")) == "Step 2: Brass Water Heater"


def test_asked_how_much_a_sentence_that_gives_an_amount_counts_for_its_passage(tmp_path, knowledge_base):
    """ "how much text did the model read": "reading billions of sentences" gives the amount, over a passage
    that says the model reads more text; the digit of a name ("GPT-4") is no amount."""
    notes = {"b.md": "# Bread\n\n## Dough\n\nThe dough needs flour and water, as GPT-4 says.\n\n"
                     "## Loaves\n\nEach morning the baker weighs 500 grams of flour.\n\n"
                     "## Mills\n\nMills grind billions of grains of wheat.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("how much flour does the dough need")
    assert query.amount and not r.analyze("what does the dough need").amount
    given = evidence_by_heading(r, query, "amount")
    assert given == {"Dough": 0.0, "Loaves": 1.0, "Mills": 0.0}  # the mills' amount is not of flour
    answer = knowledge_base.answer("how much text did the model read during training")
    assert "reading billions of sentences" in answer.hits[0].text, [h.title for h in answer.hits]


def test_everyday_words_for_requests_and_where_words_appear_match_the_notes_words(tmp_path):
    """ "a complicated request" is the notes' "tasks" made "simpler"; "appear next to" their "shows up near"."""
    notes = {"n.md": "# Kitchen\n\n## Planning\n\nGood cooks break down big tasks into simpler ones.\n\n"
                     "## Knives\n\nA sharp knife cuts bread into pieces.\n\n"
                     "## Herbs\n\nBasil shows up near tomato in most recipes.\n\n"
                     "## Basil\n\nBasil is a green herb.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    r = base.retriever
    alternatives = dict(r.analyze("should i split a complicated request into smaller pieces").alternatives)
    assert alternatives["request"] == {"task"} and alternatives["complic"] == {"simpler"}
    assert dict(r.analyze("what does basil appear next to").alternatives) == {"appear": {"show"}, "next": {"near"}}
    assert _first(base.answer("how should a complicated request be split")) == "Planning"
    assert _first(base.answer("what does basil appear next to")) == "Herbs"


def test_asked_what_happens_when_a_sentence_that_says_what_follows_answers(tmp_path, knowledge_base):
    """ "what happens if a chat gets longer than the context limit": "Once you go over, the model forgets
    earlier tokens" says what follows; what happens *to* something, with no condition, asks no such thing."""
    notes = {"o.md": "# Oven\n\n## Trays\n\nAn oven holds four trays. Once you add more, the bottom tray burns.\n\n"
                     "## Tray rules\n\nEvery tray of the oven is made of steel.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("what happens when the oven gets too many trays")
    assert query.consequence and not r.analyze("what happens to the trays").consequence
    said = evidence_by_heading(r, query, "consequence")
    assert said == {"Trays": 1.0, "Tray rules": 0.0}
    answer = knowledge_base.answer("what happens if a chat gets longer than the context limit")
    assert "Once you go over" in answer.hits[0].text, [h.title for h in answer.hits]


def test_only_words_typed_side_by_side_spell_an_acronym(tmp_path):
    """ "causal language modeling" spells the notes' CLM; "a conversation too long for the model" does not."""
    notes = {"n.md": "# Models\n\n## CLM\n\nCLM predicts the next word.\n\n## Chats\n\nA long conversation tires the model.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    assert "clm" in r.analyze("what is causal language modeling").terms
    assert "clm" in r.analyze("how is a causal LM trained").terms
    assert "clm" not in r.analyze("what happens when a conversation is too long for the model").terms


def test_asked_for_the_gist_the_passage_that_sums_up_answers(tmp_path):
    """ "tl;dr what makes bread good": "In short, good bread ..." sums up, over a list that says what is good
    for bread; a passage headed "Summary" sums up too. "what does the oven summarize" asks for no gist."""
    notes = {"b.md": "# Bread\n\n## Baking\n\nKnead the dough for ten minutes. Rest it overnight. "
                     "In short, good bread needs patience.\n\n"
                     "## Key points\n\n- Fresh bread tastes good.\n- Rye flour is heavy and dark.\n\n"
                     "## Ovens\n\nA stone oven bakes evenly.\n\n### Summary\n\nStone ovens bake bread evenly.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    r = base.retriever
    assert r.analyze("tl;dr what makes bread good").gist and r.analyze("ovens in a nutshell").gist
    assert not r.analyze("what does the oven summarize").gist
    query = r.analyze("tl;dr what makes bread good")
    gist = evidence_by_heading(r, query, "gist")
    assert gist == {"Baking": 1.0, "Key points": 0.0, "Ovens": 0.0, "Summary": 1.0}
    assert _first(base.answer("tl;dr what makes bread good")) == "Baking"


def test_how_the_answer_is_to_be_put_is_no_word_of_what_is_asked(tmp_path):
    """ "kilns in a nutshell", "what is a kiln, in one line": the format asked for is neither a term nor the
    question's focus; "in a sentence" inside a question is part of it."""
    notes = {"p.md": "# Pottery\n\n## Kilns\n\nA kiln is an oven that fires clay.\n\n## Wheels\n\nA wheel spins clay.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    assert r.analyze("kilns in a nutshell").terms == ("kiln",)
    assert r.analyze("kilns in a nutshell").gist
    assert r.analyze("what is a kiln, in one line").terms == ("kiln",)
    assert "sentenc" in r.analyze("how do words in a sentence connect").terms


def test_in_the_simplest_terms_is_how_to_answer_not_what_is_asked(tmp_path):
    """ "what are kilns in the simplest terms": the simplest terms are how the answer is to be put, so the question
    asks to have kilns defined, like "what is a kiln"."""
    notes = {"p.md": "# Pottery\n\n## Kilns\n\nA kiln is an oven that fires clay.\n\n## Wheels\n\nA wheel spins clay.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    for q in ("what are kilns in the simplest terms", "what is a kiln in simplest terms", "kilns, in the simplest words"):
        assert r.analyze(q).terms == ("kiln",), q
    assert r.analyze("what are kilns in the simplest terms").defined == frozenset({"kiln"})


def test_what_one_is_aiming_for_is_the_goal(tmp_path):
    """ "what are we aiming for when we knead": the notes' "goal" stands for the aim, in keyword evidence and in
    what is embedded."""
    notes = {"b.md": "# Bread\n\n## Kneading\n\nThe goal: a smooth, stretchy dough.\n\n"
                     "## Ovens\n\nA stone oven bakes evenly.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("what are we aiming for when we knead")
    assert ("aim", frozenset({"goal"})) in query.alternatives
    assert "goal" in query.notes_words


def test_asked_for_an_example_the_passage_that_gives_one_answers(tmp_path):
    """ "give me an example of a good bread": "For example, ..." or a passage headed "Imagine ..." gives one;
    "in the rye example what ..." asks about one, not for one."""
    notes = {"b.md": "# Bread\n\n## Good bread\n\nGood bread has a crisp crust and a soft crumb.\n\n"
                     "## Crumb\n\nThe crumb should be soft. For example, a fresh rye loaf springs back.\n\n"
                     "## Imagine You're Baking\n\nYou pull a loaf out and tap its base.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    r = base.retriever
    query = r.analyze("give me an example of good bread")
    assert query.example and r.analyze("got an example?").example
    assert not r.analyze("in the rye example what springs back").example
    given = evidence_by_heading(r, query, "example")
    assert given == {"Good bread": 0.0, "Crumb": 1.0, "Imagine You're Baking": 1.0}


def test_a_word_the_notes_say_in_other_words_is_not_new_to_them(tmp_path):
    """ "knobs" is the notes' "settings" (see ``PARAPHRASES``): it is no rare word the notes never use, to
    count against answering; a rare word with no such paraphrase still is."""
    notes = {"o.md": "# Oven\n\n## Dials\n\nThe oven settings control the output of the bakery.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("which knobs control the output")
    assert "knobs" not in query.unseen and query.novelty == 0.0
    assert dict(query.alternatives)["knob"] == {"set"}
    assert "sprockets" in r.analyze("which sprockets control the output").unseen


def test_a_persona_is_the_notes_role(tmp_path):
    """Asked whether to give the model a persona, the notes' "role-based prompts" answer: "persona" stands
    for their "role", and is not a rare word they never use."""
    notes = {"o.md": "# Theatre\n\n## Casting\n\nEach actor gets one role in the play.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("should each actor get a persona")
    assert dict(query.alternatives)["persona"] == {"role"}
    assert "persona" not in query.unseen and query.novelty == 0.0


def test_a_claim_to_check_is_read_whole_without_its_true_or_false(tmp_path):
    """ "True or false: every kiln fires clay" asks about kilns firing clay, not about "true" and "false", and
    its topic words are the claim, so it is not also read without them."""
    notes = {"p.md": "# Pottery\n\n## Kilns\n\nA kiln is an oven that fires clay.\n\n## Wheels\n\nA wheel spins clay.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    for typed in ("True or false: every kiln fires clay.", "is it true that every kiln fires clay",
                  "T/F - every kiln fires clay"):
        query = r.analyze(typed)
        assert query.claim and "true" not in query.terms and "fals" not in query.terms, typed
        assert {"kiln", "fire", "clay"} <= set(query.terms)
        assert r.focus(query, list(range(len(r.chunks)))) is None
    assert not r.analyze("what does a kiln fire").claim
    # A guess tagged for checking at its end is a claim too, read whole; "left to right?" is no tag.
    for typed in ("so every kiln fires clay, right?", "A kiln fires clay - correct?",
                  "so kilns fire clay, yeah? Check me.", "kilns fire clay, is that right?",
                  # ... or asked as a sentence of its own after the guess.
                  "I figured every kiln fires clay. Am I right?", "every kiln fires clay. Is that correct?"):
        query = r.analyze(typed)
        assert query.claim and not {"right", "correct", "yeah", "check"} & set(query.terms), typed
        assert {"kiln", "fire", "clay"} <= set(query.terms)
        assert r.focus(query, list(range(len(r.chunks)))) is None
    # ... or a belief said first and asked about: "i thought every kiln fires clay?" checks it.
    for typed in ("i thought every kiln fires clay?", "I think every kiln fires clay?? 😬"):
        query = r.analyze(typed)
        assert query.claim and not {"thought", "think"} & set(query.terms), typed
        assert {"kiln", "fire", "clay"} <= set(query.terms)
    assert not r.analyze("I think I get kilns. what does a wheel do?").claim
    assert not r.analyze("does a wheel spin left to right?").claim
    # ... and a tag that says again the claim's last word still tags it.
    assert r.analyze("so a wheel spins left to right, right?").claim
    # An answer format said first is no word of what is asked either.
    assert r.analyze("In one line, what is a kiln?").terms == ("kiln",)
    assert r.analyze("in a nutshell what even is a kiln").terms == ("kiln",)


def test_idioms_for_really_or_inside_are_no_words_of_what_is_asked(tmp_path):
    """ "what is a kiln doing under the hood" asks what a kiln does: "hood" names nothing in it."""
    notes = {"p.md": "# Pottery\n\n## Kilns\n\nA kiln is an oven that fires clay.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    assert r.analyze("what is a kiln doing under the hood").terms == ("kiln",)
    assert r.analyze("at the end of the day why use a kiln").terms == ("use", "kiln")


def test_asked_what_an_acronym_stands_for_the_sentence_that_writes_it_out_answers(tmp_path, knowledge_base):
    """ "what does LLaVA stand for", or "llava?" alone: the sentence "LLaVA (Large Language and Vision
    Assistant) is ..." answers, over a summary that also says what LLaVA is made of."""
    from knowledge.retrieval import spelled_out

    assert spelled_out("LLaVA (Large Language and Vision Assistant) is a model") == {"llava"}
    assert spelled_out("a trick called Masked Language Modeling (MLM).") == {"mlm"}
    assert spelled_out("Linear Projection Layer (W)") == frozenset()
    assert spelled_out("Vicuna (a ChatGPT-style LLM) reads them") == frozenset()
    for question in ("what does llava stand for", "llava?", "What does LLaVA stand for and what kind of model is it?"):
        answer = knowledge_base.answer(question)
        assert answer.grounded
        assert "Large Language and Vision Assistant" in answer.hits[0].text, (question, [h.title for h in answer.hits])
        assert "Large Language and Vision Assistant" in answer.statements[0].text
    r = knowledge_base.retriever
    assert r.analyze("what is rnn short for").expand == {"rnn"}
    assert r.analyze("how does llava work").expand == frozenset()


def test_asked_what_comes_first_the_sentence_that_names_a_first_step_answers(tmp_path):
    """ "what's the very first thing that happens to the dough": "Kneading is the initial phase of baking", over
    "Initially, the oven is cold", which says what things are like at the start, not which step comes first."""
    notes = {"b.md": "# Bread\n\n## Kneading\n\nKneading is the initial phase of baking bread dough.\n\n"
                     "## Oven\n\nInitially, the oven is cold. Then the dough goes in.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    r = base.retriever
    query = r.analyze("what's the very first thing that happens to the dough")
    assert query.first_step and r.analyze("what is the step before baking").first_step
    assert not r.analyze("explain it step by step").first_step
    assert evidence_by_heading(r, query, "first_step") == {"Kneading": 1.0, "Oven": 0.0}


def test_a_claim_to_check_weighs_the_one_sentence_that_confirms_or_corrects_it(tmp_path):
    """A guess to check ("kilns fire glass, right?") is settled by one sentence ("A kiln never fires glass."), not
    by a passage on its topic: for a claim, the passage's closest sentence counts again; for a question, never."""
    notes = {"p.md": "# Pottery\n\n## Kilns\n\nA kiln never fires glass.\n\n## Wheels\n\nA wheel spins clay.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    claim = r.analyze("so kilns fire glass, right?")
    found = evidence_by_heading(r, claim, "claim_sentence")
    assert found == evidence_by_heading(r, claim, "sentence") and found["Kilns"] > found["Wheels"]
    assert set(evidence_by_heading(r, r.analyze("do kilns fire glass"), "claim_sentence").values()) == {0.0}


def test_asked_about_the_writer_a_passage_in_the_writer_s_own_voice_answers(tmp_path):
    """ "what helped the note-taker understand ovens": the writer's own line ("Baking daily helped my
    understanding") answers; an example sentence in quotes ("My oven is hot.") is not the writer speaking."""
    from knowledge.retrieval import in_own_voice

    assert in_own_voice("Writing prompts helped solidify my mental model.")
    assert not in_own_voice("“My best friend helped me.”")
    assert not in_own_voice("Ovens bake bread.")
    notes = {"b.md": "# Bread\n\n## Reflections\n\n- Baking daily helped my understanding of ovens.\n\n"
                     "## Ovens\n\nAn example sentence: “My oven is hot.” Ovens help bakers.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("what helped the note-taker understand ovens")
    assert query.about_writer and not r.analyze("what helps ovens").about_writer
    # The asker speaking as the writer, of their own grasp of things, asks about the writer too; "my" alone does not.
    assert r.analyze("what firmed up my picture of ovens").about_writer
    assert not r.analyze("my oven got cold, why").about_writer
    assert evidence_by_heading(r, query, "own_voice") == {"Reflections": 1.0, "Ovens": 0.0}


def test_the_most_common_english_words_are_never_the_question_s_topic(tmp_path):
    """Every passage says "use"; in "where do kilns get used" it is still what is asked."""
    notes = {"p.md": "# Pottery\n\n## Kilns\n\nKilns use heat.\n\n## Uses\n\nPotters use kilns in studios.\n\n"
                     "## Wheels\n\nPotters use wheels.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    focus = r.focus(r.analyze("where do potters get kilns used"), list(range(len(r.chunks))))
    assert focus is not None and "used" in focus.split() and "potters" not in focus.split()


def test_asked_what_a_thing_is_used_for_the_sentence_that_says_what_for_answers(tmp_path):
    """ "where do kilns get used in practice": "Used in studios and factories." says what for; "how clay is used
    in kilns" only says that something is used."""
    from knowledge.retrieval import asks_uses, gives_uses

    assert asks_uses("where do kilns get used in practice") and asks_uses("what are kilns used for")
    assert not asks_uses("how do kilns work")
    assert gives_uses("Used in studios and factories.") and gives_uses("A kiln is mostly used for firing.")
    assert not gives_uses("It depends on how clay is used in the kiln.")
    notes = {"p.md": "# Pottery\n\n## Kiln facts\n\nA kiln is a hot oven. Used in studios and factories.\n\n"
                     "## Kiln clay\n\nIt depends on how clay is used in the kiln.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("where do kilns get used in practice")
    assert evidence_by_heading(r, query, "uses") == {"Kiln facts": 1.0, "Kiln clay": 0.0}


def test_everyday_verbs_are_the_notes_words_for_them(tmp_path):
    """ "which flaws did gas kilns get rid of" (the notes: gas kilns "solve" them), "why can't clay hold on to
    water" ("retain"), "what does clay turn into" ("become"), "is glazing easy" ("hard")."""
    notes = {"p.md": "# Pottery\n\n## Gas\n\nGas kilns solve smoke problems. Clay cannot retain water once fired; "
                     "it becomes ceramic. Glazing is hard to master.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    assert "solv" in dict(r.analyze("which flaws did gas kilns get rid of").alternatives)["rid"]
    assert "retain" in dict(r.analyze("why can't clay hold on to water").alternatives)["hold"]
    assert "becom" in dict(r.analyze("what does clay turn into").alternatives)["turn"]
    assert "hard" in dict(r.analyze("is glazing easy").alternatives)["easi"]


def test_everyday_phrases_for_unrelated_and_most_votes_are_the_notes_words(tmp_path, knowledge_base):
    """ "words that have nothing to do with each other" (the notes: "unrelated" words), "go with the majority
    vote" (the answer that comes up "most often"); asked what happens to such words, the passage on pushing
    unrelated ones apart answers."""
    notes = {"g.md": "# Garden\n\n## Sorting\n\nUnrelated seeds are planted further apart.\n\n"
                     "## Watering\n\nThe watering is done automatically. The seed picked most often wins the vote.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    assert "unrel" in dict(r.analyze("what about seeds that have nothing to do with each other").alternatives)["noth"]
    assert "often" in dict(r.analyze("which seed wins the majority vote").alternatives)["major"]
    hit = knowledge_base.search("what happens to the vectors of words that have nothing to do with each other")[0]
    assert "unrelated" in hit.text, hit.title


def test_a_bunch_of_times_and_the_majority_answer_are_the_notes_words(tmp_path, knowledge_base):
    """ "ask a bunch of times and go with the majority answer": the notes ask "multiple" times and choose the answer
    that comes up "most often"; the phrase's words are shown to the model too, and the passage that says so answers
    over those on other prompting techniques."""
    notes = {"g.md": "# Garden\n\n## Voting\n\nWe ask multiple gardeners and keep the seed named most often.\n"}
    r = notes_knowledge_base(tmp_path, notes, WordHashEmbedder()).retriever
    query = r.analyze("you ask a bunch of gardeners and go with the majority answer")
    assert "multipl" in dict(query.alternatives)["bunch"]
    assert "most often" in query.notes_words
    hit = knowledge_base.search("there was a technique where you ask a bunch of times and go with the majority answer. "
                                "how does that one work")[0]
    assert "most often" in hit.text, hit.title
    # "just guessing what comes next": the notes predict the next token or word.
    assert "next token" in knowledge_base.retriever.analyze("is it just guessing what comes next").notes_words


def test_which_acronym_is_named_by_a_heading_ending_in_its_last_words(knowledge_base):
    """ "which LLM is the brain of LLaVA": the step headed "<name> Language Model" names one (LM, the acronym's
    last letters), over the summary that names every part."""
    for question in ("which llm is the brain of llava", "which llm is the language half of llava"):
        hit = knowledge_base.search(question)[0]
        assert hit.title.endswith("Language Model"), (question, hit.title)
    r = knowledge_base.retriever
    assert r._names_kind(("llm",), ("step", "3", "vicuna", "languag", "model"))
    assert not r._names_kind(("llm",), ("step", "4", "output"))


def test_asked_why_the_passage_that_gives_the_reason_answers(knowledge_base):
    """ "so why is gpt better at generating text than bert": the passage that says why ("... because it's trained
    the same way it's used") over one that only says BERT is less natural at it; "what analogy explains why ..."
    asks for the analogy, not a reason."""
    for q in ("so why is gpt better at generating text than bert",
              "ok so why is gpt the better pick for generating text vs bert"):
        hit = knowledge_base.search(q)[0]
        assert "because" in hit.text, (q, hit.title)
    r = knowledge_base.retriever
    assert r.analyze("so why is gpt better at generating text than bert").reason
    assert r.analyze("how come embeddings work").reason
    assert not r.analyze("What analogy do the notes use to explain why giving sample Q&A pairs works?").reason


def test_asked_how_a_thing_starts_out_the_passage_that_says_what_is_so_initially_answers(tmp_path):
    """ "what does dough look like before any kneading", "where does the dough start out": a sentence "Initially,
    ..." or "... starts as ..." says what is so at the start; a passage that only mentions kneading does not.
    "what does kneading do" asks nothing about the start."""
    notes = {"b.md": "# Bread\n\n## Dough\n\nInitially, the dough is a shaggy, sticky lump.\n\n"
                     "## Kneading\n\nKneading happens on a floured board and takes ten minutes.\n\n"
                     "## Crust\n\nEvery loaf starts as a pale ball and browns in the oven.\n"}
    base = notes_knowledge_base(tmp_path, notes, WordHashEmbedder())
    r = base.retriever
    for q in ("what does dough look like before any kneading happens", "where does the dough start out"):
        assert r.analyze(q).initial, q
    assert not r.analyze("what does kneading do").initial
    query = r.analyze("what does dough look like before any kneading happens")
    assert evidence_by_heading(r, query, "initial") == {"Dough": 1.0, "Kneading": 0.0, "Crust": 1.0}


def test_a_thing_the_notes_mention_then_asked_of_by_a_pronoun_is_asked_what_it_is(knowledge_base):
    """ "the notes mention gradients - how are they described": asked what gradients are, so the passage whose
    sentence says what they are ("gradients — small mathematical nudges ...") answers, not the one headed by the
    vanishing gradient problem."""
    r = knowledge_base.retriever
    for q in ("the notes mention gradients - how are they described", "my notes talk about gradients, what are they?"):
        assert r.analyze(q).defined == frozenset({"gradient"}), q
        ans = knowledge_base.answer(q)
        assert ans.grounded and "small mathematical nudges" in ans.sources[0].text, (q, ans.sources[0].title)
    # Only the thing named before the pronoun: a plain question keeps its own subject.
    assert r.analyze("how are embeddings described").defined == frozenset({"embedding"})


def test_pointed_at_the_first_section_or_bullet_the_notes_first_passage_comes_first(knowledge_base):
    """ "why do transformers use self attention (first section)", "what do the notes say LLMs basically are, first
    bullet": a student with the notes open says where the answer is by its place; the note's first passage ("What
    I Learned") answers, over the Q&A on transformers or the passage on tokenization."""
    for q in ("why do transformers use self attention (first section)",
              "what do the notes say LLMs basically are, first bullet"):
        hit = knowledge_base.search(q)[0]
        assert hit.title.endswith("What I Learned"), (q, hit.title)
    r = knowledge_base.retriever
    assert not r.analyze("what comes first in tokenization").first_part
