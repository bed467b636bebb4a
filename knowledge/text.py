"""The one home of the text rules every part of ``knowledge`` shares.

Sentence splitting, list markers, stopwords and heading paths used to exist twice with
different rules (the index and the quiz bank cut the same passage into different
sentences). Everything that splits, filters or names passages takes them from here.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Joins the parts of a heading path: "Notebook › What is RAG?".
TITLE_SEP = " › "

# A list item's marker: "- ", "* ", "+ ", "• ", "1. ", "2) ".
BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")

# The end of a sentence inside a line: . ! ? or … (maybe closed by a quote or bracket),
# whitespace, then what can open a sentence.
# The closing quote stays with its sentence: 'they ask, “which words matter?”' is a statement
# quoting a question, not a question.
SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’)]))\s+(?=[\"“‘(\[]?[A-Z0-9])")

def is_question(sentence: str) -> bool:
    """Whether the sentence is a question: it ends in "?", or it is a quoted question, or it ends in "?" and
    a closing quote that no opening quote in it matches (the tail of a quoted question, "Aren't we
    training on real sentences?”"). One that quotes a question ('they ask, “which words matter?”')
    states something."""
    t = sentence.rstrip()
    if t.endswith("?"):
        return True
    if len(t) < 2 or t[-2] != "?" or t[-1] not in "”\"":
        return False
    if t[0] in "“\"":
        return True  # the whole sentence is a quoted question: “But real-world sentences don't have [MASK], right?”
    return t.count("“") < t.count("”") if t[-1] == "”" else t.count('"') % 2 == 1


# English function words: they carry no topic, so keyword matching and term extraction skip them.
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into about as is are was were be been being
    do does did done doing have has had i me my we our you your he she his her it its they them their this
    that these those there here what which who whom whose when where why how can cannot could would should
    will shall may might must not no yes so than then too very just also only any some such more most less
    other own same over under between after before during via per each every all like simply""".split()
) | frozenset(  # the contractions, as typed in chat without their apostrophe ("havent", "dont")
    """dont doesnt didnt isnt arent wasnt werent havent hasnt hadnt cant couldnt wont wouldnt shouldnt
    youre theyre thats theres""".split()
)

# The chatty words students wrap questions in ("pls explain ...", "tell me about ..."): no topic either.
QUESTION_FILLER = frozenset(
    """pls plz please explain explanation tell describe define definition meaning mean means know want
    understand question answer help hey hi hello thanks thank quick simple terms e g eg i e s t don doesn
    isn aren wasn weren let lets let's ok okay kind sort thing things something whats what's again really
    actually basically give show eli5 tldr tl dr im ive idk imo btw tbh ngl""".split()
)

# Chat spellings written out before a question is embedded ("what r embeddings"): the model
# reads "r" as a letter, not as "are".
CHAT_SPELLINGS = {"r": "are", "u": "you", "ur": "your", "wat": "what", "wht": "what", "abt": "about",
                  # Clipped words of chat: "my convo" is a conversation, not a name the notes lack.
                  "convo": "conversation", "convos": "conversations", "param": "parameter", "params": "parameters",
                  "info": "information", "msg": "message", "msgs": "messages", "pic": "picture", "pics": "pictures",
                  "diff": "difference", "bc": "because", "tho": "though", "approx": "approximately",
                  # Shorthands of chat: "or smth" names nothing the notes lack.
                  "smth": "something", "sth": "something", "smthg": "something", "ppl": "people", "rn": "now",
                  "cuz": "because", "coz": "because", "bcuz": "because", "b4": "before", "thru": "through",
                  "wanna": "want to", "gonna": "going to", "gotta": "have to", "dunno": "do not know",
                  "bout": "about", "ya": "you", "yr": "your",
                  # "exam tmrw": when, not a name; "ctx limit": the context's.
                  "tmrw": "tomorrow", "tmr": "tomorrow", "tmrrw": "tomorrow", "2moro": "tomorrow", "2day": "today",
                  "ctx": "context",
                  # Clipped words of programmers: "random init?" is initialization, "what algo" an algorithm, "cosine
                  # dist" a distance, "the impl" an implementation; no name the notes lack.
                  "init": "initialization", "algo": "algorithm", "algos": "algorithms", "dist": "distance",
                  "impl": "implementation", "config": "configuration", "func": "function",
                  "args": "arguments", "arg": "argument",
                  # ... and of the office: "for execs", "mgmt wants", "the biz side".
                  "execs": "executives", "mgmt": "management", "biz": "business",
                  # ... and of a team's chat around a pasted log ("log from our bot eval", "still on the todo list").
                  "eval": "evaluation", "evals": "evaluations", "todo": "to-do", "todos": "to-dos"}


# Everyday English a question uses where notes often write another word (or its opposite, which
# answers the question as well: "is it tuned manually?" - "it is done automatically"). Each key (a
# word or a phrase, lower case) also matches the words listed, in keyword evidence only; a longer
# phrase is read first, and an idiom with no words listed ("step by step": in detail) is read as
# itself only.
PARAPHRASES = {
    "step by step": (), "first of all": (), "at first": (), "first off": (),
    "first": ("initial", "initially", "begin", "beginning", "start"),
    "step": ("phase", "stage"), "steps": ("phases", "stages"),
    "manually": ("automatically", "automatic", "manual"), "by hand": ("automatically", "manually", "manual"),
    "split": ("break", "breaking", "divide"), "pieces": ("parts", "segments"), "piece": ("part", "segment"),
    "make stuff up": ("hallucinate", "hallucination"), "make things up": ("hallucinate", "hallucination"),
    "made up": ("hallucinate", "hallucination"), "invent": ("hallucinate", "hallucination"),
    "more than one": ("multiple", "several", "many"), "one": ("single",), "1": ("one", "single"),
    "several": ("multiple", "many"), "ever": ("never",),
    # A student's plain word for the notes' term: "statistically speaking" (probabilistic), "the placeholder
    # token" (BERT's [MASK]).
    "statistical": ("probabilistic",), "statistically": ("probabilistic",), "placeholder": ("mask", "masked"),
    "change": ("impact", "affect", "influence"), "changes": ("impacts", "affects", "influences"),
    "answer": ("response", "reply"), "answers": ("responses", "replies"),
    # Better answers are answers of better quality: "what sort of prompts get better answers" (the notes' prompts that
    # "improve response quality"). Not "perform better" nor "better results", which are performance.
    "better answers": ("improve", "quality", "responses"), "better responses": ("improve", "quality", "responses"),
    "better replies": ("improve", "quality", "responses"), "better quality": ("improve", "quality"),
    "catch": ("drawback", "downside", "limitation", "problem"),
    "downside": ("drawback", "limitation"), "downsides": ("drawbacks", "limitations"),
    "knobs": ("parameters", "settings"), "knob": ("parameter", "setting"),
    "spits out": ("output", "outputs"), "spit out": ("output", "outputs"),
    "next to": ("near", "beside", "around"), "appear": ("show", "occur"), "appears": ("shows", "occurs"),
    "request": ("task", "instruction"), "requests": ("tasks", "instructions"),
    "complicated": ("complex", "simple", "simpler"), "smaller": ("simpler",),
    "persona": ("role",), "personas": ("roles",),
    "unsure": ("open", "unresolved", "unclear"), "not sure": ("open", "unresolved", "unclear"),
    "unresolved": ("open", "unsure", "unclear"), "unanswered": ("open", "unsure", "unclear"),
    "weakness": ("drawback", "limitation"), "weaknesses": ("drawbacks", "limitations"),
    "reply": ("response", "answer"), "replies": ("responses", "answers"),
    "act as": ("role",), "pretend to be": ("role",),
    "money": ("cost", "price"), "price": ("cost",), "pricing": ("cost",),
    "retrain": ("fine-tune", "train"), "retraining": ("fine-tuning", "training"), "retrained": ("fine-tuned", "trained"),
    "interpretability": ("explain", "internally"), "interpretable": ("explain", "internally"),
    "black box": ("explain", "internally"), "black boxes": ("explain", "internally"),
    "steer": ("control", "guide"), "settings": ("parameters",), "setting": ("parameter",),
    "examples in the prompt": ("few-shot",), "examples in a prompt": ("few-shot",),
    "raise the question": ("open",), "raised the question": ("open",),
    "sampling": ("temperature", "top_p"),
    "get my head around": ("understand", "understanding"), "wrap my head around": ("understand", "understanding"),
    # The same game by its other names; a hallucination in chat words; past forms the stemmer keeps apart.
    "telephone game": ("chinese whispers",), "game of telephone": ("chinese whispers",),
    "broken telephone": ("chinese whispers",),
    "forgot": ("forget", "forgets", "forgetting"), "forgotten": ("forget", "forgets", "forgetting"),
    "api": ("openai",), "intuition": ("mental model", "understanding"),
    # Everyday verbs for what the notes say in their words: "which weaknesses did X get rid of" (X "solves"
    # them), "why can't X hold on to ..." (X "struggles to remember"), "what do they turn into" ("become"),
    # "just guessing what comes next" ("predictors"), "what goes on inside" ("internally").
    "get rid of": ("solve", "remove", "eliminate", "fix"), "got rid of": ("solve", "remove", "eliminate", "fix"),
    "hold on to": ("remember", "retain", "keep"), "hold onto": ("remember", "retain", "keep"),
    "turn into": ("become",), "turns into": ("becomes",), "turned into": ("became", "become"),
    "guess": ("predict", "prediction"), "guessing": ("predict", "predicting", "predictor"),
    "guesses": ("predicts", "predictions"), "comes next": ("next token", "next word"), "come next": ("next token", "next word"),
    "inside": ("internally", "internal"), "benefit": ("advantage",), "benefits": ("advantages",),
    # "how the model acts" (the notes: "LLM behavior").
    "acts": ("behavior", "behaves"), "act": ("behavior", "behave"),
    "cope with": ("handle", "capture", "deal"), "deal with": ("handle", "capture"),
    "different": ("multiple", "various"), "whole": ("entire",), "together": ("once", "parallel"),
    # Going beyond a limit in other words ("what happens if my input goes past the token limit", "when you exceed
    # the context"): the notes "go over" it.
    "exceed": ("go over", "overflow"), "exceeds": ("go over", "overflow"), "exceeded": ("go over", "overflow"),
    "go past": ("go over", "overflow"), "goes past": ("go over", "overflow"), "went past": ("go over", "overflow"),
    # ... or grows past it ("what happens if my chat gets longer than the model's limit"), a limit (what a thing
    # can hold) being a size.
    "longer than": ("go over", "overflow"), "bigger than": ("go over", "overflow"), "more than fits": ("go over",),
    "limit": ("size", "maximum"), "limits": ("sizes", "maximum"),
    "can hold": ("size", "maximum"), "can fit": ("size", "maximum"), "fits": ("size",),
    # Everyday words for choosing among like things: "go with whichever reply shows up the most" (the notes choose
    # the answer that "comes up" most often), "an identical question" (the same).
    # What one is aiming for is the goal: "what are we aiming for", "what's the aim of it".
    "aim": ("goal",), "aims": ("goals",), "aiming for": ("goal",), "aiming at": ("goal",),
    "pick": ("choose", "choosing"),
    "picked": ("choose", "chosen", "choosing"), "go with": ("choose", "choosing"),
    "shows up": ("comes up", "occur"), "show up": ("come up", "occur"),
    "identical": ("same",),
    # Making text in everyday words: "producing fluent text", "writing text" (the notes "generate natural" text).
    "produce": ("generate",), "produces": ("generates",), "producing": ("generating",), "fluent": ("natural",),
    "write text": ("generate text", "generating"), "writing text": ("generating text", "generating"),
    # Asked whether a thing is easy, the notes say whether it is hard.
    "easy": ("hard", "difficult", "simple"),
    # Everyday ways of saying unrelated and most votes: "words that have nothing to do with each other", "go
    # with the majority vote".
    "nothing to do with": ("unrelated",), "nothing in common": ("unrelated",),
    "majority": ("most often", "most"), "majority vote": ("vote", "most often"),
    # ... and the rest of that: "ask a bunch of times and go with the majority answer".
    "majority answer": ("most often", "most common"), "the majority": ("most often", "most common"),
    "a bunch of": ("multiple", "several", "many"), "bunch of": ("multiple", "several", "many"),
    # A programmer's words for what the notes say in plain ones (a way of asking, not a topic): autocomplete
    # is predicting the next word; a system's backend is the model doing the work; what is deprecated was
    # replaced and the default is the standard; a mutation is a change; debugging or inspecting a
    # model is looking inside it; a regex is a hand-written rule; granularity is how big the pieces are;
    # to emit is to output; nearby is close.
    "autocomplete": ("predict", "next word", "next token"), "autocompletes": ("predicts", "next word", "next token"),
    "autocompletion": ("prediction", "next word", "next token"),
    "backend": ("model", "language model"), "back end": ("model", "language model"),
    "deprecated": ("replaced", "obsolete", "old"), "obsolete": ("replaced", "old"),
    "default": ("standard",), "the default": ("standard",),
    "mutate": ("change", "update"), "mutated": ("changed", "updated"), "mutates": ("changes", "updates"),
    "mutation": ("change", "update"), "mutations": ("changes", "updates"),
    "debug": ("explain", "internally"), "debugging": ("explain", "internally"),
    "inspect": ("explain", "internally"), "inspecting": ("explain", "internally"),
    "regex": ("rules", "rule-based", "manually"), "regexes": ("rules", "rule-based", "manually"),
    "hardcode": ("manually", "rules"), "hardcoded": ("manually", "rules"), "hard-coded": ("manually", "rules"),
    "granularity": ("size", "pieces"), "granular": ("size", "pieces"),
    "emit": ("output", "generate"), "emits": ("outputs", "generates"), "emitting": ("output", "generating"),
    "emitted": ("output", "generated"),
    "nearby": ("close", "near"),
    # What people who do not build them call a chat model: "the bot", "our chatbot".
    "bot": ("model", "llm", "chatgpt"), "bots": ("models", "llms"),
    "chatbot": ("model", "llm", "chatgpt"), "chatbots": ("models", "llms"),
    # A linguist's or a textbook's term for what notes often say in plain words: a word of several meanings ("can
    # embeddings handle polysemy?": "Multiple meanings of the same word"), context read from both sides.
    "polysemy": ("multiple meanings", "meanings"), "polysemous": ("multiple meanings", "meanings"),
    "bidirectional": ("both sides", "both directions"), "bidirectionally": ("both sides", "both directions"),
}

@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line of a passage, its list marker removed."""

    text: str
    bullet: bool  # it was a list item


def lines(text: str) -> Iterator[Line]:
    for raw in text.split("\n"):
        if raw.strip():
            bullet = bool(BULLET.match(raw))
            yield Line(BULLET.sub("", raw).strip() if bullet else raw.strip(), bullet)


def split_line(line: str) -> list[str]:
    """The sentences of one line, verbatim."""
    return [part.strip() for part in SENTENCE_END.split(line) if part.strip()]


# A line that ends mid-sentence ("... on this “meaning map,”") and one that carries it on in lower
# case ("and push unrelated ones further apart."): one sentence the writer wrapped.
_OPEN_END = re.compile(r"[^.!?:…][\"”’)]*$")


def _unwrapped(text: str) -> list[Line]:
    out: list[Line] = []
    for line in lines(text):
        if (out and not line.bullet and not out[-1].bullet and line.text[:1].islower()
                and _OPEN_END.search(out[-1].text)):
            out[-1] = Line(f"{out[-1].text} {line.text}", False)
        else:
            out.append(line)
    return out


def sentences(text: str) -> list[str]:
    """Sentences and list items of a passage, verbatim, each a unit an answer can quote and cite
    (a sentence wrapped over two lines is one)."""
    out = []
    for line in _unwrapped(text):
        for part in split_line(line.text):
            if len(part) >= 3 and any(ch.isalpha() for ch in part):
                out.append(part)
    return out


def list_items(text: str) -> set[str]:
    """The passage's list items (marker removed), to tell a list from running prose."""
    return {line.text for line in lines(text) if line.bullet}


def title_parts(title: str) -> list[str]:
    return title.split(TITLE_SEP)


# A passage without a heading of its own, cited under the section it continues.
CONTINUED = " (continued)"


def section_title(title: str) -> str:
    """What a reader calls the passage's section: the heading one level below the note's own title
    ("Embedding" for a passage cited as "Embedding (continued)")."""
    parts = title_parts(title)
    return (parts[1] if len(parts) > 1 else parts[0]).removesuffix(CONTINUED)


def closest_topics(titles: Sequence[str], n: int = 3) -> tuple[str, ...]:
    """The sections to suggest when the notes do not answer, each once, best first; a note's own
    title (its preface) only when no section is among them."""
    sections = [section_title(t) for t in titles if len(title_parts(t)) > 1]
    return tuple(dict.fromkeys(sections or [section_title(t) for t in titles]))[:n]


def section_key(title: str) -> str:
    """The top-level section as a heading path (note title › section), for grouping passages."""
    return TITLE_SEP.join(title_parts(title)[:2])


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0-100) by linear interpolation between the closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# Words that ask about an aspect of whatever is being discussed rather than name a topic:
# "and its limitations?", "give an example", "why does that matter?".
ASPECT_WORDS = frozenset(
    """limitation limitations advantage advantages disadvantage disadvantages downside downsides drawback
    drawbacks benefit benefits pro pros con cons weakness weaknesses strength strengths problem problems
    issue issues example examples instance instances use uses used using work works working purpose
    difference differences different compare compared comparison versus vs step steps part parts type types
    reason reasons detail details deeper simpler simple more else mean meaning matter matters important
    happen happens happened similar better worse good bad main key idea concept point about work
    why how""".split()
)

# Words that point back at something said before.
BACK_REFERENCES = frozenset("it its it's they them their theirs this these those".split())

_WORDS = re.compile(r"[^\W_][\w'’-]*")


def words(text: str) -> list[str]:
    """Lower-cased words of any script, apostrophes normalised."""
    return [w.lower().replace("’", "'") for w in _WORDS.findall(text)]


def topic_words(text: str) -> list[str]:
    """The words of a question that name what it is about (no function, filler or aspect words)."""
    skip = STOPWORDS | QUESTION_FILLER | ASPECT_WORDS | BACK_REFERENCES
    return [w for w in words(text) if w not in skip and len(w) > 1]


def content_words(text: str) -> list[str]:
    """Topic and aspect words: what a question asks, without function, filler or back-reference words."""
    skip = STOPWORDS | QUESTION_FILLER | BACK_REFERENCES
    return [w for w in words(text) if w not in skip and len(w) > 1]


# A sentence that gives an example: "For example, ...", "(e.g., ...)", "Imagine ...", "Example:".
# "examples of the answers we want" names examples without giving one, so the bare word does not count.
EXAMPLE_MARKER = re.compile(
    r"\b(?:for example|for instance|e\.\s?g\.|such as|imagine|suppose|say you)\b|\bexample\s*:", re.IGNORECASE
)


# ---------------------------------------------------------------- question cleaning
# What chat surfaces and terminals wrap around a question. Each pattern is narrow on purpose:
# "a < b", "x*y", "2^10", "<unk>", "<s>", "[CLS]" and "C++" are questions' own words.

# Terminal colours and cursor moves: CSI ("\x1b[1;31m"), OSC ("\x1b]0;title\x07") and two-byte escapes.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
# A fence line (``` or ~~~, maybe with a language), then any fence left inside a line.
_FENCE_LINE = re.compile(r"(?m)^[ \t]*(?:`{3,}|~{3,})[ \t]*[\w+#.-]*[ \t]*$")
_FENCE = re.compile(r"`{3,}|~{3,}")
# Discord: <@123> <@!123> <@&123> <#123> and custom emoji <:name:123>; Slack: <@U123>, <@U123|ann>,
# <!here>, <!channel>, <!subteam^S1|@team>. A mention names who is asked, not what.
_MENTION = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|@[UW][A-Z0-9]+(?:\|[^<>]*)?|![\w^-]+(?:\|[^<>]*)?)>")
# Slack channel and link with a label keep the label: <#C123|general>, <https://x.org|the paper>.
_SLACK_LABELLED = re.compile(r"<(?:#[CG][A-Z0-9]+|(?:https?|mailto):[^<>|\s]+)\|([^<>]+)>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^<>|\s]+)>")
# A link, as Slack sends it (<https://x.org/p>) or as typed: where the student saw something, no word of what they ask
# ("what is LLaVA?? prof mentioned it <https://x.org/slides>"; "example", "com" and "slides" had read as its topic).
# (A link the question points at, "what does this paper say about attention <https://arxiv.org/...>", is what it asks
# about: it stays, and its name, one the notes never mention, says so.)
_LINK = re.compile(r"<(?:https?|mailto):[^<>|\s]+>|(?<![\w/])https?://[^\s<>]+")
_POINTS_AT_LINK = re.compile(r"\b(?:this|that|these|those|the|ur|your|my|linked)\s+(?:\w+\s+)?(?:papers?|articles?|links?|posts?|"
                             r"blogs?|videos?|threads?|pages?|sites?|docs?|pdfs?|repos?|tweets?|slides?|tutorials?)\b|"
                             r"\b(?:here|below|above)\b", re.IGNORECASE)
# An emoji typed by its name, as Slack sends every emoji and Discord's box takes them (":thinking:", ":moneybag:",
# ":+1::skin-tone-2:"): how the student feels, no word of what is asked ("moneybag" had read as a topic the notes
# never mention). A name has a letter, and no word or colon touches it: "10:30:45", "a[1:2:3]" and "std::vector" stay.
_SHORTCODE = re.compile(r"(?<![\w:])(?::[a-z0-9_+-]{1,40}:)+(?![\w:])")
# HTML elements people paste or rich editors send. Not <s> (SentencePiece's start token) nor any
# unknown name, so "<unk>", "<pad>" and "<eos>" stay.
_HTML_NAMES = (
    "a|abbr|b|big|blockquote|body|br|center|cite|code|del|div|em|font|h[1-6]|head|hr|html|i|img|ins|kbd|"
    "li|mark|ol|p|pre|q|small|span|strike|strong|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul|var|wbr"
)
_VOID = frozenset("br hr img wbr".split())
# Tags inside a line join their words to what is around them ("<i>RAG</i>?"); the others part them.
_INLINE = frozenset("a abbr b big cite code del em font i ins kbd mark q small span strike strong sub sup tt u var".split())
_HTML_OPEN = re.compile(
    rf"<({_HTML_NAMES})((?:\s+[\w:-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))*)\s*/?>", re.IGNORECASE
)
_HTML_CLOSE = re.compile(rf"</({_HTML_NAMES})\s*>", re.IGNORECASE)
# Only complete entities ("&amp;", "&#39;"): html.unescape alone would turn "this&not that" into "this¬ that".
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MD_LINK = re.compile(r"!?\[([^\[\]\n]+)\]\([^()\s]+\)")
_MD_CODE = re.compile(r"(`{1,2})([^`\n]+?)\1")
# Emphasis only at word edges, so "x*y", "2*3*4" and "top_p" are left alone.
_MD_EMPHASIS = re.compile(r"(?<![\w*_~])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*_~])")
# Struck through, Discord's ~~x~~ or Slack's ~x~: what the student took back ("~nvm~ what is RAG", "what is ~~RAG~~
# attention"), no word of what they ask ("nvm" had moved 31 of 120 answers). "cat ~ dog" and "~50 tokens" stay.
_STRUCK = re.compile(r"(?<![\w~])(~~?)(?=[^\s~])[^~\n]{1,200}?(?<=[^\s~])\1(?![\w~])")
_SPOILER = re.compile(r"\|\|(?=\S)(.+?)(?<=\S)\|\|")
# ... and one closing a message that has asked already ("what is attention? ||asking for a friend||", "... ||is it
# GPT-4 generated?||"): the aside hidden so as not to distract, not the question ("friend" had drawn "‘Friend’ is
# often used with people"); a message that is all spoiler, or asks only inside one, keeps its words.
_SPOILER_LAST = re.compile(r"\|\|(?=[^|\s])[^|\n]{1,300}(?<=\S)\|\|\s*$")
_HAS_ASKED = re.compile(r"\?|^\W*(?:what|whats|how|why|which|who|whose|when|where|is|are|was|were|do|does|did|can|could|"
                        r"should|would|will)\b", re.IGNORECASE)
# (and Discord's small print, "-# sorry if dumb")
_MD_HEADING = re.compile(r"(?m)^[ \t]{0,3}(?:-#|#{1,6})[ \t]+")
# A list marker a line opens on ("- what is RAG", "• chain of thought").
_MD_BULLET = re.compile(r"(?m)^[ \t]*[-*•◦‣▪][ \t]+(?=\S)")
_MD_QUOTE = re.compile(r"(?m)^[ \t]*(?:>[ \t]?)+")


_QUOTED_LINE = re.compile(r"[ \t]*>")
_ASKS = re.compile(r"\?|\b(?:what|whats|how|why|which|who|whose|when|where)\b", re.IGNORECASE)


def _without_quoted_context(text: str) -> str:
    """``text`` without the lines it opens by quoting ("> did anyone get this", "> Tokens are not words") when the
    student's own lines after them ask a question that stands alone: the quote is what they reply to, not what they ask
    ("did anyone get this" had moved 13 of 120 answers). A reply that leans on the quote ("why does that help?",
    "same question tbh") keeps it: there the quote says what is asked."""
    if not text.lstrip().startswith(">"):
        return text
    lines = text.strip().split("\n")
    first_own = next((i for i, line in enumerate(lines) if not _QUOTED_LINE.match(line)), len(lines))
    own = "\n".join(lines[first_own:]).strip()
    if own and not _QUOTED_LINE.search(own) and _ASKS.search(own) and not (BACK_REFERENCES | {"that"}) & set(words(own)):
        return own
    return text


def _strip_html(text: str) -> str:
    closed = {m.group(1).lower() for m in _HTML_CLOSE.finditer(text)}

    def gap(name: str) -> str:
        return "" if name in _INLINE else " "

    def opening(m: re.Match[str]) -> str:
        # "a<b>c" is maths unless a </b> closes it; <br> and <img> never need closing.
        name = m.group(1).lower()
        return gap(name) if name in _VOID or name in closed else m.group(0)

    return _HTML_CLOSE.sub(lambda m: gap(m.group(1).lower()), _HTML_OPEN.sub(opening, text))


@functools.lru_cache(maxsize=1024)  # (read several times for each question: by analysis, answer and parts)
def clean_question(text: str) -> str:
    """The words of a question without the markup around them, for retrieval.

    Removes terminal escapes, code fences, Discord and Slack mentions (a labelled Slack
    channel or link keeps its label, a bare link goes), emoji typed by name (":thinking:"), a spoiler
    closing a message that asked already (an aside), HTML entities and tags (their text kept) and
    markdown emphasis, inline code, links, headings and quote markers; collapses whitespace.
    The question shown back to the student is not this: it stays as typed.
    """
    text = _without_quoted_context(_CONTROL.sub(" ", _ANSI.sub("", text)))
    text = _FENCE.sub(" ", _FENCE_LINE.sub(" ", text))
    text = _SLACK_LABELLED.sub(r"\1", _MENTION.sub(" ", text))
    text = _SHORTCODE.sub(lambda m: " " if re.search("[a-z]", m.group(0)) else m.group(0), text)
    # Entities first: a tag typed where nothing renders it often arrives escaped ("&lt;b&gt;").
    text = _strip_html(_ENTITY.sub(lambda m: html.unescape(m.group(0)), text))
    text = _MD_LINK.sub(r"\1", text)
    unlinked = _LINK.sub(" ", text)
    text = unlinked if re.search(r"\w", unlinked) and not _POINTS_AT_LINK.search(unlinked) else _SLACK_LINK.sub(r"\1", text)
    last = _SPOILER_LAST.search(text)
    if last is not None and _HAS_ASKED.search(text[:last.start()].strip()):
        text = text[:last.start()]
    text = _MD_CODE.sub(r"\2", text)
    unstruck = _STRUCK.sub(" ", text)
    text = unstruck if re.search(r"\w", unstruck) else text.replace("~", "")
    for _ in range(3):  # nested: ***bold italic***, **_both_**
        text = _SPOILER.sub(r"\1", _MD_EMPHASIS.sub(r"\2", text))
    text = _MD_BULLET.sub("", _MD_QUOTE.sub("", _MD_HEADING.sub("", text)))
    return " ".join(text.split())
