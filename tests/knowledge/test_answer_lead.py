"""Which passage an answer opens with, and what joins it: unit tests on the composer's choices."""


import pytest

from knowledge.answer import _leader, _Scored
from knowledge.types import Hit
from tests.support import StemWords


def _hit(n: int, heading: float, text: str = "text") -> Hit:
    return Hit(f"c{n}", f"Notes › Part {n}", text, "n.md", 1.0 - n / 20, heading=heading)


def _said(rank: int, text: str, score: float, cos: float) -> list[_Scored]:
    return [_Scored(rank, 0, text, score, False, cos=cos), _Scored(rank, 1, "Filler.", score / 2, False, cos=cos / 2)]


def test_a_passage_whose_best_sentence_is_far_closer_leads():
    """Asked "can one word be more than one token?": the retrieval's first passage (on moving words closer on a
    meaning map, 0.34) must not open the answer when another cited passage says "a single word can be
    multiple tokens" (0.90); the passage it replaces is left out, and the rest keep their order."""
    hits = (_hit(0, 0.42), _hit(1, 0.07), _hit(2, 0.65))
    per_hit = [_said(0, "Move similar words closer together.", 0.53, 0.34),
               _said(1, "Tokens are not words — a single word can be multiple tokens.", 1.01, 0.90),
               _said(2, "Tokens can range from single characters to entire words.", 0.72, 0.61)]
    asked = StemWords("can one word be more than one token?")
    assert _leader(0, [1, 2], per_hit, hits, asked, StemWords()) == (1, [2])


def test_a_far_closer_sentence_naming_only_the_leads_own_topic_does_not_take_the_lead():
    """"can we easily tell what's going on inside a transformer?": the first passage ("Limitations of
    Transformers") answers it with "Hard to explain how they work internally" (0.26); another's "Transformers look
    at the entire sentence ..." (0.52) resembles the question only by naming transformers, which the first passage
    names too. The answer stays with the limitation, and the other passage may still join it."""
    hits = (_hit(0, 0.52, "Transformers have limits.\nHard to explain how they work internally"), _hit(1, 0.52))
    per_hit = [_said(0, "Hard to explain how they work internally", 0.26, 0.26),
               _said(1, "Transformers look at the entire sentence all at once.", 0.52, 0.48)]
    asked = StemWords("can we easily tell what's going on inside a transformer?")
    assert _leader(0, [1], per_hit, hits, asked, StemWords()) == (0, [1])
    # Naming something asked that the first passage does not ("one at a time"), it leads as before.
    asked = StemWords("do transformers look at the sentence all at once?")
    assert _leader(0, [1], per_hit, hits, asked, StemWords()) == (1, [])


def test_the_lead_stays_when_the_other_is_only_somewhat_closer_or_its_heading_names_the_question():
    per_hit = [_said(0, "Initially every token is assigned a random vector.", 0.51, 0.47),
               _said(1, "The model updates the embeddings during training.", 0.74, 0.66)]
    assert _leader(0, [1], per_hit, (_hit(0, 0.25), _hit(1, 0.25)), StemWords(), StemWords()) == (0, [1])
    # "This is a translator." answers "what is the projection layer for" under a heading that names it.
    per_hit = [_said(0, "It reshapes the visual features.", 0.21, 0.21),
               _said(1, "LLaVA is CLIP plus Vicuna, joined by a linear projection.", 0.85, 0.68)]
    assert _leader(0, [1], per_hit, (_hit(0, 0.89), _hit(1, 0.69)), StemWords(), StemWords()) == (0, [1])


def test_a_lead_that_says_nothing_asked_gives_way_to_one_that_does():
    """"which rnn weaknesses did transformers get rid of": the first passage's best line ("No true long-term memory",
    0.23, from transformers' own limitations) says nothing asked; the one that does ("Transformers ... solve
    vanishing gradients", 0.56) opens the answer. A lead whose line matches the question's words stays."""
    hits = (_hit(0, 0.54), _hit(1, 0.75))
    per_hit = [_said(0, "No true long-term memory.", 0.23, 0.23),
               _said(1, "Transformers solve vanishing gradients and memory problems.", 0.56, 0.50)]
    assert _leader(0, [1], per_hit, hits, StemWords(), StemWords()) == (1, [])
    # "CLIP acts like the model's eyes." (0.43 with the question's word, cosine 0.28) still answers "LLaVA's 'eyes'".
    per_hit[0] = _said(0, "CLIP acts like the model's eyes.", 0.43, 0.28)
    assert _leader(0, [1], per_hit, hits, StemWords(), StemWords()) == (0, [1])


def test_another_passage_does_not_open_on_a_sentence_naming_what_is_not_quoted():
    """Under "Also in your notes", "That's one reason why GPT ..." brought "This is called a pretrain–fine-tune
    mismatch." before it, which names a list not quoted: a non-sequitur. The sentence goes alone."""
    from knowledge.answer import _with_context

    everything = {0: ("The drawback of BERT:", None), 1: ("During training, it sees masks.", 0),
                  2: ("During inference, there are none.", 1), 3: ("This is called a mismatch.", None),
                  4: ("That's one reason why GPT writes more naturally.", None)}
    answer = _Scored(0, 0, "GPT predicts the next word.", 1.0, False)
    extra = _Scored(1, 4, everything[4][0], 0.9, False)
    out = _with_context([answer, extra], everything, 1, lead=False)
    assert [s.text for s in out if s.rank == 1] == [everything[4][0]]


def test_another_passage_keeps_the_sentence_a_connective_opens():
    """A sentence opening on a connective ("So it starts adjusting the dots.") reads on its own: it stays
    before the one that leans on it ("It nudges them closer ...")."""
    from knowledge.answer import _with_context

    everything = {0: ("Words start as random dots.", 0), 1: ("So it starts adjusting the dots.", None),
                  2: ("It nudges them closer or further apart.", None)}
    answer = _Scored(0, 0, "Backpropagation updates the embeddings.", 1.0, False)
    extra = _Scored(1, 2, everything[2][0], 0.9, False)
    out = _with_context([answer, extra], everything, 1, lead=False)
    assert sorted(s.pos for s in out if s.rank == 1) == [1, 2]


def test_a_sentence_about_this_thing_not_quoted_does_not_stand_alone():
    """"BERT doesn't just train on this raw sentence." beside an answer on what BERT is good at: which
    sentence, the passage said before. Never quoted alone; "those patterns" only when nothing better is."""
    from knowledge.answer import _stands_alone

    around = {0: ('"The cat sat on the mat"', None), 1: ("BERT doesn’t just train on this raw sentence.", None),
              2: ("Embeddings let the model learn those patterns from data.", None)}
    raw, those = _Scored(1, 1, around[1][0], 0.6, False), _Scored(1, 2, around[2][0], 0.6, False)
    assert not _stands_alone(raw, around) and not _stands_alone(raw, around, strict=False)
    assert not _stands_alone(those, around) and _stands_alone(those, around, strict=False)
    # "this" about something the same sentence named is no pointer outside it.
    ok = _Scored(1, 0, "Tokens split words, and this split matters.", 0.6, False)
    assert _stands_alone(ok, {0: (ok.text, None)})


def test_another_passage_whose_best_says_far_less_than_the_answer_is_left_out():
    """Asked where embeddings are used, "Initially, each token gets a random vector." (0.26 beside an
    answer scoring 0.79) is padding under "Also in your notes"; a passage nearly as good still joins."""
    from knowledge.answer import _extra

    around = {0: ("Initially, each token gets a random vector.", None), 1: ("Then training starts.", None)}
    weak = [_Scored(1, 0, around[0][0], 0.26, False), _Scored(1, 1, around[1][0], 0.1, False)]
    assert _extra(weak, around, 0.79) is None
    assert _extra(weak, around, 0.4).text == around[0][0]


def test_a_passage_holding_what_the_lead_never_mentions_leads_when_clearly_better():
    """"in the chatgpt map analogy, what words does banana tend to appear next to": the first passage (on
    ChatGPT not learning from your input) never says "banana"; the one whose best sentence does, and scores
    clearly better (0.78 against 0.58), leads. Only somewhat better, or nothing new, the lead stays."""
    question = "in the chatgpt map analogy, what words does banana tend to appear next to"
    hits = (_hit(0, 0.39, "No — ChatGPT is not learning from your input. It applies what it learned of words."),
            _hit(1, 0.30, "Hmm, banana shows up near words like eat, fruit and apple."))
    per_hit = [_said(0, "It applies what it learned.", 0.58, 0.52),
               _said(1, "Hmm, banana shows up near words like eat, fruit and apple.", 0.78, 0.64)]
    words = StemWords(question)
    assert _leader(0, [1], per_hit, hits, words, words) == (1, [])
    per_hit[1] = _said(1, per_hit[1][0].text, 0.68, 0.58)
    assert _leader(0, [1], per_hit, hits, words, words) == (0, [1])
    per_hit[1] = _said(1, "Words like eat and fruit show up near each other.", 0.78, 0.64)
    assert _leader(0, [1], per_hit, hits, words, words) == (0, [1])


def test_another_passage_adds_no_line_that_is_only_a_quotation():
    """Under "Also in your notes", “Hmm, ‘banana’ shows up near words like ‘eat’ ...” (what the model might
    think, an example) was added to "is a word always one token?" as if the notes stated it; the passage's
    best statement is added instead, or nothing. Asked for an example, the quotation may be it."""
    from knowledge.answer import _extra

    around = {0: ("As it sees words used in context, it starts learning:", None),
              1: ("“Hmm, ‘banana’ shows up near words like ‘eat’, ‘fruit’, and ‘apple’.”", 0),
              2: ("So it starts adjusting the dots.", None)}
    quote = _Scored(1, 1, around[1][0], 0.37, True)
    statement = _Scored(1, 2, around[2][0], 0.30, False)
    assert _extra([quote, statement], around, 0.69) == statement
    assert _extra([quote], around, 0.69) is None
    assert _extra([quote, statement], around, 0.69, examples=True) == quote


def test_a_list_brought_as_context_brings_what_its_lead_in_leans_on():
    """"This happens automatically using gradients." names the list before it, which comes along with its
    lead-in; that lead-in, "Then it uses backpropagation ...", leans on the sentence before it in turn, which
    comes too: the answer no longer opens on "Then it ...". A bare "Exactly!" there does not."""
    from knowledge.answer import _with_context

    everything = {0: ("When it predicts the wrong word, it calculates a loss.", None),
                  1: ("Then it uses backpropagation to find which parts caused the mistake.", None),
                  2: ("If hat caused it, its embedding is pushed away.", 0),
                  3: ("If mat was right, its embedding is pulled closer.", 1),
                  4: ("This happens automatically using gradients.", None)}
    best = _Scored(0, 4, everything[4][0], 0.65, False)
    assert sorted(s.pos for s in _with_context([best], everything, 0)) == [0, 1, 2, 3, 4]
    everything[0] = ("Exactly!", None)
    assert sorted(s.pos for s in _with_context([best], everything, 0)) == [1, 2, 3, 4]


def test_a_quoted_item_brings_what_its_leaning_lead_in_goes_on_from():
    """The items "If hat ..." / "If mat ..." quoted (asked what happens to mat's embedding) bring their lead-in
    "Then it uses backpropagation ...:", and that lead-in the sentence it goes on from: the answer does not open
    on "Then it ...". A line all quotation ("“Hey model, guess the word.”") before "This is done to:" does not
    come: it is what the thing says, not what it is."""
    from knowledge.answer import _with_context

    everything = {0: ("When it predicts the wrong word, it calculates a loss.", None),
                  1: ("Then it uses backpropagation to find which parts caused the mistake:", None),
                  2: ("If hat caused it, its embedding is pushed away.", 0),
                  3: ("If mat was right, its embedding is pulled closer.", 1)}
    items = [_Scored(0, p, everything[p][0], 0.6, True) for p in (2, 3)]
    assert sorted(s.pos for s in _with_context(items, everything, 0)) == [0, 1, 2, 3]
    everything[0] = ("“Hey model, guess the word.”", None)
    assert sorted(s.pos for s in _with_context(items, everything, 0)) == [1, 2, 3]


def test_asked_what_happens_when_the_sentence_of_consequence_answers():
    """ "what happens when my convo goes past the context limit": "Once you go over, the model forgets earlier
    tokens." says what follows ("over" is a stopword, so it scores low on words); it gives what is asked,
    "Context size = how many tokens ..." does not. What happens *to* something asks for nothing of the kind."""
    from knowledge.answer import _gives_what_is_asked

    asked = "what happens when my convo goes past the context limit"
    assert _gives_what_is_asked(asked, "Once you go over, the model forgets earlier tokens.") is True
    assert _gives_what_is_asked(asked, "Context size = how many tokens the model can see at once.") is False
    assert _gives_what_is_asked("what happens to unrelated words", "If so, they move apart.") is None


def test_a_sentence_naming_those_things_brings_the_sentence_that_says_which():
    """ "Embeddings let the model learn those patterns from data." quoted without the sentence before it
    ("It is practically impossible to capture all the subtle ways meaning is formed.") leaves "those
    patterns" unsaid, and asked "why not just hand write rules" that sentence is the answer: it comes along,
    in the lead passage. Another passage adds its one sentence alone."""
    from knowledge.answer import _with_context

    everything = {0: ("Older systems relied on grammar rules written by hand.", None),
                  1: ("It is practically impossible to capture all the subtle ways meaning is formed.", None),
                  2: ("Embeddings let the model learn those patterns from data.", None)}
    chosen = [_Scored(0, 0, everything[0][0], 0.6, False), _Scored(0, 2, everything[2][0], 0.5, False)]
    assert sorted(s.pos for s in _with_context(chosen, everything, 0)) == [0, 1, 2]
    assert sorted(s.pos for s in _with_context(chosen, everything, 0, lead=False)) == [0, 2]


def test_words_that_point_at_a_part_of_the_notes_or_an_acronyms_plural_are_no_news():
    """"In that map analogy, what does the model do to the dots once it has seen words in context?": the passage
    that answers ("So it starts adjusting the dots ... It nudges them closer") never says "map"; the one on the dots
    placed at random on a map does, but "map" says where in the notes, not what is asked: the answer stays. And
    "RNN" is no word the passage "Did Transformers replace RNNs?" lacks ("are rnns still what people use")."""
    question = "In that map analogy, what does the model do to the dots once it has seen words in context?"
    hits = (_hit(0, 0.47, "As it sees words used in context, it starts learning. So it starts adjusting the dots."),
            _hit(1, 0.31, "So it just gives each word a random set of numbers, like placing dots randomly on a map."))
    per_hit = [_said(0, "So it starts adjusting the dots.", 0.56, 0.52),
               _said(1, "So it just gives each word a random set of numbers, like placing dots on a map.", 0.82, 0.65)]
    words = StemWords(question)
    assert _leader(0, [1], per_hit, hits, words, words) == (0, [1])
    # Asked about the map itself, the passage that names it leads as before.
    words = StemWords("what does the model do to the dots on the map once it has seen words in context?")
    assert _leader(0, [1], per_hit, hits, words, words) == (1, [])

    question = "are rnns still what people use for language models today?"
    hits = (_hit(0, 0.54, "Did Transformers replace RNNs? Yes. They're now the standard in NLP and LLMs."),
            _hit(1, 0.54, "RNN (Recurrent Neural Network) is like reading a sentence word-by-word."))
    per_hit = [_said(0, "They're now the standard in NLP and LLMs.", 0.43, 0.43),
               _said(1, "RNN (Recurrent Neural Network) is like reading a sentence word-by-word.", 0.64, 0.60)]
    words = StemWords(question + " rnn")  # (retrieval adds an acronym's singular to the question's terms)
    assert _leader(0, [1], per_hit, hits, words, words) == (0, [1])


def test_another_passages_line_after_a_list_joins_alone_when_it_says_what_is_asked():
    """Asked how the notes characterize gradients, the passage's "This happens automatically using gradients —
    small mathematical nudges ..." follows a list of what backpropagation does: it was dropped as a non-sequitur,
    and the answer (a "Chinese whispers" line, scoring far less) cited no passage that says it. Scoring as well
    as the answer's best, it joins without the list; scoring less, it still goes ("All of this happens
    automatically." after a long list)."""
    from knowledge.answer import _with_context

    everything = {0: ("Then it uses backpropagation:", None), 1: ("It finds what contributed to the error.", 0),
                  2: ("It nudges the embeddings.", 1),
                  3: ("This happens automatically using gradients — small mathematical nudges.", None)}
    answer = _Scored(0, 0, "It's like playing Chinese whispers.", 0.27, False)
    extra = _Scored(1, 3, everything[3][0], 0.40, False)
    out = _with_context([answer, extra], everything, 1, lead=False, alone_from=0.9 * 0.27)
    assert [s.text for s in out if s.rank == 1] == [everything[3][0]]
    weak = _Scored(1, 3, everything[3][0], 0.20, False)
    assert not [s for s in _with_context([answer, weak], everything, 1, lead=False, alone_from=0.9 * 0.27)
                if s.rank == 1]


def test_a_line_quoted_without_the_list_it_leans_on_brings_its_short_follow_on(knowledge_base):
    """The shipped notes: "in the map story, what does the model do to the dots once it notices patterns?" cited
    only the passage on dots placed at random; the one that answers ("So it starts adjusting the dots (vectors)."
    after a list of the patterns noticed) joins without its list, and "It nudges them closer or further apart."
    after it says how. "How do the notes characterize gradients?" cites the line that does."""
    answer = knowledge_base.answer("in the map story, what does the model do to the dots once it notices patterns?")
    said = [s.text for s in answer.statements]
    assert "So it starts adjusting the dots (vectors)." in said and "It nudges them closer or further apart." in said
    answer = knowledge_base.answer("How do the notes characterize gradients?")
    assert any("small mathematical nudges" in s.text for s in answer.statements), answer.markdown()


def test_an_example_pointed_at_comes_with_what_the_notes_make_of_it():
    """An example in quotes is what "in the groceries example, how did you come up with the word for the blank?"
    points at, not its answer: the first statement after it ("You didn't see [MASK] — you just remembered your
    sentence from left to right") joins. Not when a statement is chosen, nor for a list's quoted items."""
    from knowledge.answer import _said_of_example

    everything = {0: ("“I went to the __ yesterday to buy some groceries.”", None),
                  1: ("You think of a word to fill the blank:", None), 2: ("“store”", None),
                  3: ("You didn't see [MASK] — you just remembered your sentence from left to right.", None),
                  4: ("That's what CLM does.", None)}
    example = [_Scored(0, 0, everything[0][0], 0.6, False), _Scored(0, 1, everything[1][0], 0.5, False),
               _Scored(0, 2, everything[2][0], 0.4, False)]
    assert _said_of_example(example, everything) == 3
    assert _said_of_example(example[:1], everything) == 3
    assert _said_of_example([*example, _Scored(0, 4, everything[4][0], 0.3, False)], everything) is None
    listed = [_Scored(0, 0, everything[0][0], 0.6, True)]
    assert _said_of_example(listed, everything) is None


def test_the_groceries_example_is_answered_with_what_it_shows(knowledge_base):
    answer = knowledge_base.answer("In the groceries example, how did you come up with the word for the blank?")
    said = [s.text for s in answer.statements]
    assert any(s.startswith("You didn’t see [MASK]") for s in said), answer.markdown()


def test_another_passages_denial_that_leans_back_is_quoted_by_what_it_says_instead():
    """Asked "what does the potter do to the clay before firing it": another passage's best sentence, "The potter
    doesn't just fire this raw lump." (it leans on the lump its passage showed before), cannot be quoted alone;
    the sentence after it, "Instead, she wedges the clay to push the air out:", says what is done, and is quoted
    (so the passage is cited). Not when the denial fits the question less well than the answer's own best, nor
    when no "Instead" or "Rather" follows it."""
    from knowledge.answer import _extra

    around = {0: ("Say the lump is fresh from the bag:", None), 1: ("The potter doesn't just fire this raw lump.", None),
              2: ("Instead, she wedges the clay to push the air out:", None), 3: ("Air bubbles crack a pot.", None)}
    scored = [_Scored(1, 1, around[1][0], 1.0, False, cos=0.8), _Scored(1, 3, around[3][0], 0.3, False, cos=0.3)]
    extra = _extra(scored, around, top_best=0.95)
    assert extra is not None and extra.text.startswith("Instead, she wedges") and extra.rank == 1
    assert _extra(scored, around, top_best=1.2) is None
    plain = {**around, 2: ("She wedges the clay to push the air out:", None)}
    assert _extra(scored, plain, top_best=0.95) is None


def test_a_list_quoted_whole_brings_the_sentence_that_names_it(knowledge_base):
    """ "and for BERT, what's the main drawback the notes point out": the drawback list quoted whole brings the
    sentence after it that names what it describes ("This is called a pretrain–fine-tune mismatch."), right after
    its items; asked what masking is for, the drawback list gives way, and its name with it."""
    ans = knowledge_base.answer("and for BERT, what's the main drawback the notes point out")
    texts = [s.text for s in ans.statements]
    at = texts.index("This is called a pretrain–fine-tune mismatch.")
    assert texts[at - 1].startswith("During inference") and not ans.statements[at].bullet, texts
    point = knowledge_base.answer("what's the point of masking words in BERT, what does it teach")
    assert not any("is called" in s.text for s in point.statements), [s.text for s in point.statements]


@pytest.mark.parametrize("question", ["does anyone label BERT's training data, or is it supervised some other way?",
                                      "after BERT takes the original sentence, what is the next step?"])
def test_the_leading_denial_left_out_gives_way_to_what_is_done_instead(knowledge_base, question):
    """"BERT doesn't just train on this raw sentence." fits BERT questions best but leans on the sentence before it,
    so it is left out of an answer; the sentence after it, "Instead, it creates a self-supervised task by modifying
    the sentence:", says what is done, and is quoted in its place (the drawback list used to answer alone)."""
    answer = knowledge_base.answer(question)
    said = [s.text for s in answer.statements]
    assert any(s.startswith("Instead, it creates a self-supervised task") for s in said), answer.markdown()
    assert "During training, it sees [MASK] tokens." not in said, answer.markdown()
