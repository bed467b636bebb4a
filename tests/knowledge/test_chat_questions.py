"""A question typed in chat comes wrapped: an address, a greeting, "quick question:", thanks, emoji,
a typo. None of it is what is asked; the answer is the one the bare question gets.

The shipped notes, indexed with the real model.
"""

import pytest

from knowledge.retrieval import story_and_question, without_chatter


@pytest.mark.parametrize(("typed", "asked"), [
    ("@StudyBuddy what is the vanishing gradient problem?", "what is the vanishing gradient problem?"),
    ("hey @StudyBuddy, quick question: what is RAG? thanks!!", "what is RAG?"),
    ("hi there bot, what is a token? thx", "what is a token?"),
    ("where do embeddings get used in practice 🤔🤔", "where do embeddings get used in practice"),
    ("pls explain: how does rag work 👍🏽", "how does rag work"),
    ("Question: what is LLaVA", "what is LLaVA"),
    # What is asked stays, and so does a question that is nothing but chat.
    ("explain tokenization", "explain tokenization"),
    ("tell me about rag", "tell me about rag"),
    ("what are q values", "what are q values"),
    ("thanks", "thanks"),
])
def test_the_chat_around_a_question_is_not_part_of_it(typed, asked):
    assert without_chatter(typed) == asked


@pytest.mark.parametrize("question", [
    "is chatgpt learning from what i type",  # a yes-or-no question behind a greeting is still one
    "what dataset was llava instruction tuned on",  # the notes never name it: still not answered
    "where do embeddings get used in practice",
    "can embeddings deal with a word like bank that has several meanings",
])
def test_a_question_wrapped_in_chat_gets_the_bare_question_s_answer(knowledge_base, question):
    bare = knowledge_base.answer(question)
    for typed in (f"hey @StudyBuddy, quick question: {question} 🤔", f"{question} thanks!!"):
        wrapped = knowledge_base.answer(typed)
        assert wrapped.grounded == bare.grounded, typed
        assert wrapped.markdown() == bare.markdown(), typed


@pytest.mark.parametrize(("typo", "word"), [("pracitce", "practice"), ("wnidow", "window"), ("thnig", "thing"),
                                            ("wehre", "where"), ("haevnt", "havent")])
def test_two_letters_swapped_are_read_as_the_word_meant(knowledge_base, typo, word):
    r = knowledge_base.retriever
    assert r.analyze(f"what about the {typo} here").corrected == f"what about the {word} here"


def test_a_swapped_typo_finds_what_the_word_finds(knowledge_base):
    right = knowledge_base.answer("whats a context window")
    typed = knowledge_base.answer("whats a context wnidow")
    assert typed.grounded and [h.chunk_id for h in typed.hits[:1]] == [h.chunk_id for h in right.hits[:1]]


@pytest.mark.parametrize(("typed", "written"), [
    ("how are embeddings optimised", "how are embeddings optimized"),  # British spelling
    ("how does bert learn w/o labels", "how does bert learn without labels"),  # chat shorthand
    ("why do rnns forget stuff b/c of gradients?", "why do rnns forget stuff because of gradients?"),
    ("so like what even is a token", "what is a token"),
])
def test_spellings_and_shorthands_of_chat_find_what_the_written_question_finds(knowledge_base, typed, written):
    a, b = knowledge_base.answer(typed), knowledge_base.answer(written)
    assert a.grounded and b.grounded, (a.confidence, b.confidence)
    assert a.hits[0].chunk_id == b.hits[0].chunk_id
    assert a.markdown() == b.markdown()


def test_either_spelling_in_the_notes_matches_either_in_the_question(knowledge_base):
    r = knowledge_base.retriever
    assert r.stems_of("the colour of its behaviour") == r.stems_of("the color of its behavior")
    # A word that only looks British is left as typed: "flour" is not "flor", "promise" not "promize".
    assert r.analyze("is flour a promise").corrected == "is flour a promise"


@pytest.mark.parametrize("question", ["what is cot prompting", "explain cot", "cot"])
def test_a_hyphenated_term_s_acronym_typed_in_lower_case_is_the_term(knowledge_base, question):
    answer = knowledge_base.answer(question)
    assert answer.grounded and "Chain-of-Thought" in answer.sources[0].text, answer.markdown()


def test_a_lower_case_word_that_happens_to_be_an_acronym_is_the_word(knowledge_base):
    """"cot" is a bed unless the question is about what the term's passages are about; "lot" is never the
    acronym of a heading in title case ("Limitations of Transformers")."""
    r = knowledge_base.retriever
    assert "Chain-of-Thought" not in r.analyze("does a cot fold flat").corrected
    assert not knowledge_base.answer("does a cot fold flat").grounded
    assert "Limitations" not in r.analyze("transformers use a lot of memory").corrected


@pytest.mark.parametrize(("typed", "written"), [
    ("what is fewshot prompting", "what is few-shot prompting"),  # a compound of the notes typed closed
    ("explain chainofthought prompting", "explain chain-of-thought prompting"),
])
def test_a_compound_of_the_notes_typed_closed_is_their_compound(knowledge_base, typed, written):
    assert knowledge_base.retriever.analyze(typed).corrected == written
    a, b = knowledge_base.answer(typed), knowledge_base.answer(written)
    assert a.grounded and a.markdown() == b.markdown()


def test_a_rare_typo_one_letter_off_a_notes_word_is_that_word(knowledge_base):
    """"sytems" is written (a common typo), but far too rarely to be a word of its own: it is the notes'
    "systems". A rare word English does write ("llama") is never turned into a notes word ("llava")."""
    r = knowledge_base.retriever
    assert r.analyze("how did rule based sytems work").corrected == "how did rule based systems work"
    answer = knowledge_base.answer("how did old school rule based nlp sytems work before all this")
    assert answer.grounded and "rule-based systems" in answer.markdown()
    assert r.analyze("what is llama").corrected == "what is llama"


def test_chat_shorthands_name_nothing_the_notes_lack(knowledge_base):
    r = knowledge_base.retriever
    assert r.analyze("tips for better replies? like act as a teacher or smth").corrected.endswith("or something")
    answer = knowledge_base.answer("any tips for better quality replies? like should i tell it to act as a teacher or smth")
    assert answer.grounded and "role-based prompts" in answer.markdown(), answer.markdown()


def test_an_idiom_that_says_how_is_not_searched(knowledge_base):
    """"under the hood" asks what an LLM does, not how some diagram works."""
    r = knowledge_base.retriever
    assert "hood" not in r.analyze("in a nutshell what does an llm do under the hood").corrected
    answer = knowledge_base.answer("in a nutshell what even is an llm, like what does it actually do under the hood")
    assert answer.grounded and "next-token predictors" in answer.markdown(), answer.markdown()


@pytest.mark.parametrize(("question", "said"), [
    # "knobs" are the notes' parameters: the question names no kind of thing they lack
    ("which knobs did we say u need to understand to control what the model spits out", "top_p"),
    # "interpretability" is the notes' "hard to explain how they work"
    ("Is interpretability listed as a weakness of transformers in our notes?", "Hard to explain"),
    # "goes past" the limit is the notes' "go over"
    ("WHAT HAPPENS IF MY INPUT GOES PAST THE TOKEN LIMIT", "Once you go over"),
    # "producing fluent text" is the notes' "generating natural language"
    ("Why is GPT the better choice for producing fluent text compared with BERT?", "better for generating natural"),
])
def test_a_word_the_notes_say_in_other_words_is_not_refused_as_unknown(knowledge_base, question, said):
    answer = knowledge_base.answer(question)
    assert answer.grounded and said in answer.markdown(), answer.markdown()


@pytest.mark.parametrize(("typo", "word"), [("windnw", "window"), ("actualay", "actually"), ("updeted", "updated")])
def test_one_letter_off_an_everyday_word_is_that_word(knowledge_base, typo, word):
    """A typo of a word the notes never use is no name they lack: "whats a context windnw" was refused naming
    “windnw”. Only when one word is one letter off: "creatie" may be "create" or "creative"."""
    r = knowledge_base.retriever
    assert r.analyze(f"what about the {typo} here").corrected == f"what about the {word} here"


@pytest.mark.parametrize(("typo", "word"), [("actualy", "actually"), ("basicaly", "basically")])
def test_a_doubled_letter_typed_once_is_the_everyday_word(knowledge_base, typo, word):
    """"actualy" is written often enough to pass for a word of its own, but it is "actually" with one "l": "did
    transformers actualy replace rnns?" was refused as naming something the notes never mention."""
    r = knowledge_base.retriever
    assert r.analyze(f"what about the {typo} here").corrected == f"what about the {word} here"
    answer = knowledge_base.answer(f"did transformers {typo} replace rnns? what problems did they fix")
    assert answer.grounded and "vanishing gradients" in answer.markdown(), answer.markdown()


def test_a_name_that_doubles_into_no_word_stays_as_typed(knowledge_base):
    assert "llama" in knowledge_base.retriever.analyze("was llava built on llama").corrected


def test_the_note_taker_is_whoever_wrote_the_notes(knowledge_base):
    answer = knowledge_base.answer("What activity helped the note-taker build intuition for how the model 'thinks'?")
    assert answer.grounded and "Writing prompts helped" in answer.markdown(), answer.markdown()


@pytest.mark.parametrize(("question", "said"), [
    ("fweshot prompting - what is it exactly", "Few-Shot Prompting"),  # a typo of a compound typed closed
    ("What exatcly do you ask the model to do in chain-of-thought prompting?", "step by step"),  # no kind "exatcly"
    ("How many toekns can GPT-3.5 see at once?", "4k tokens"),  # the count asked is of tokens
])
def test_the_rules_read_a_question_as_put_right(knowledge_base, question, said):
    answer = knowledge_base.answer(question)
    assert answer.grounded and said in answer.markdown(), answer.markdown()


@pytest.mark.parametrize(("question", "said"), [
    # "telephone game" is the notes' "Chinese whispers"
    ("the telephone game bit, what did it explain?", "Chinese whispers"),
    # "api knobs" are the notes' "OpenAI parameters"
    ("which api knobs did the writer want to play with more?", "frequency_penalty"),
    # "intuition" is the notes' "mental model"
    ("what gave the note writer a better intuition for how LLMs think?", "mental model"),
    # a side of a comparison said in other words ("retraining": fine-tuning) is no name the notes lack
    ("is it still an open question, examples in a prompt versus retraining?", "few-shot prompting and fine-tuning"),
])
def test_a_phrase_a_student_uses_for_the_notes_words_finds_them(knowledge_base, question, said):
    answer = knowledge_base.answer(question)
    assert answer.grounded and said in answer.markdown(), answer.markdown()


def test_a_paraphrase_matches_any_form_of_its_words_and_the_notes_misspelling(knowledge_base):
    """"making stuff up" is "make stuff up" (hallucination), and the notes write "hellucinations" once: the RAG
    passage that says it reduces them is found by its own spelling."""
    query = knowledge_base.retriever.analyze("why does it keep making stuff up?")
    said = set().union(*(more for _, more in query.alternatives))
    assert {"hallucin", "hellucin"} <= said


@pytest.mark.parametrize(("question", "said"), [
    # an exam instruction's verb is no topic the notes lack
    ("How do the notes portray embeddings?", "Embeddings"),
    ("Summarize what the notes say about chain-of-thought prompting.", "step by step"),
    # a part of the notes pointed at by a description in everyday words
    ("The notes explain vanishing gradients with a game where a whispered message gets scrambled. What is passed along?",
     "Chinese whispers"),
    ("In the example where the model predicts a headgear word instead of a rug word, what happens to the wrong vector?",
     "hat"),
    ("What did the writer say solidified their intuition about how the model thinks?", "mental model"),
    # the student's doubt offered as the other answer, and "boil it down", say how to answer
    ("Do clear role-based prompts really improve the answers, or is that a myth?", "role-based prompts"),
    ("Boil it down: what does RAG do?", "knowledge base"),
    # a plain word for the notes' term
    ("why does BERT put a placeholder token in its training sentences?", "[MASK]"),
])
def test_instructions_and_descriptions_of_the_notes_are_not_refused(knowledge_base, question, said):
    answer = knowledge_base.answer(question)
    assert answer.grounded and said in answer.markdown(), answer.markdown()


@pytest.mark.parametrize("question", [
    "In the example about RAG, which vector database like Pinecone do the notes use?",
    "The notes compare transformers to a chinchilla, why?",
    "What did the author say about kubernetes?",
])
def test_a_name_in_a_description_of_the_notes_is_still_a_name(knowledge_base, question):
    assert not knowledge_base.answer(question).grounded


@pytest.mark.parametrize(("message", "told"), [
    ("I pasted in a giant document and it forgot the start. What happens when you exceed the context?",
     ("I pasted in a giant document and it forgot the start.", "What happens when you exceed the context?")),
    ("I figured one word is one token. Am I right?", ("I figured one word is one token.", "Am I right?")),
    # no story: one sentence, or a question before the last one
    ("what happens when you exceed the context?", None),
    ("What is RAG? What is LLaVA?", None),
    ("I pasted in a giant document and it forgot the start.", None),
])
def test_a_story_told_before_a_question_is_told_apart_from_it(message, told):
    assert story_and_question(message) == told


def test_a_story_before_a_question_that_stands_alone_does_not_drown_it(knowledge_base):
    """The asker's situation, in everyday words the notes never use ("pasted", "giant document"), had made the
    question read as not covered; the question after it is what is asked."""
    question = ("I was chatting with a model for hours and pasted in a giant document, and suddenly it seemed to have "
                "no idea what I said at the start. What do the notes say happens when you exceed the context?")
    answer = knowledge_base.answer(question)
    assert answer.grounded and answer.statements[0].text.startswith("Context size"), answer.markdown()
    assert "forgets earlier tokens" in answer.markdown()


@pytest.mark.parametrize("message", [
    "I figured one word always equals exactly one token. Am I right?",  # the last sentence names nothing
    "Everyone says transformers are black boxes. Is interpretability listed as a weakness in our notes?",
])
def test_a_story_that_is_the_topic_is_still_read(knowledge_base, message):
    """A question that only checks the story, or whose story names the notes' term, is read with the story:
    "transformers" stays a word of what is asked."""
    q = knowledge_base.retriever.analyze(message)
    assert "token" in q.terms or "transform" in q.terms


@pytest.mark.parametrize("question", [
    "Suppose I pose an identical question to several versions of the model and then go with whichever reply shows "
    "up the most. Which prompting technique is that, and how is it described?",
])
def test_a_technique_described_in_everyday_words_is_answered_by_its_own_line(knowledge_base, question):
    """"an identical question", "go with whichever reply shows up the most" are the notes' "the same question",
    "choosing the answer that comes up most often": that line leads, not another technique's."""
    answer = knowledge_base.answer(question)
    assert answer.grounded and answer.statements[0].text.startswith("“Self-Consistency”"), answer.markdown()


def test_asked_as_the_notes_writer_of_their_own_grasp_the_writer_s_own_line_answers(knowledge_base):
    """ "what firmed up my picture of ...": the asker speaks as the writer; the writer's own line answers, and
    "firmed" (an everyday word the notes never use) is no reason to refuse."""
    answer = knowledge_base.answer("What firmed up my understanding of how the model thinks?")
    assert answer.grounded and "Writing prompts helped" in answer.markdown(), answer.markdown()


def test_a_comparison_is_answered_about_its_subject_not_what_it_is_compared_with(knowledge_base):
    answer = knowledge_base.answer("how do transformers look at a sentence compared to rnns?")
    assert answer.grounded and answer.markdown().startswith("Transformers look at the entire sentence"), \
        answer.markdown()


def test_the_phrase_pointing_at_a_story_does_not_pick_the_passage(knowledge_base):
    """ "in the map story, ...": the part of the story that says what happens to the dots answers."""
    answer = knowledge_base.answer("in the map story, what happens to the dots once the model spots patterns?")
    assert answer.grounded and "nudges them closer or further apart" in answer.markdown(), answer.markdown()
