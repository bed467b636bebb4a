"""Deterministic study notes for the ingest benchmark: English prose under markdown headings.

A seeded RNG fills sentence templates from a vocabulary of machine-learning study notes, so the
same seed gives byte-identical notes on every machine. A note has a ``#`` title, ``##`` topics and
``###`` sub-topics; each section holds one to three paragraphs, sometimes a bullet list, and
stays under the chunker's word limit, so one section is one passage and a paragraph edit touches
one passage only.
"""

from __future__ import annotations

import random
import re

CONCEPTS = """attention mechanism|self-attention|cross-attention|transformer|encoder|decoder|embedding|
token|tokenizer|byte-pair encoding|vocabulary|positional encoding|layer normalization|residual connection|
feed-forward layer|softmax|cross-entropy loss|gradient descent|learning rate|optimizer|Adam optimizer|
weight decay|dropout|overfitting|regularization|batch size|training set|validation set|test set|
fine-tuning|pre-training|transfer learning|prompt|context window|temperature|top-k sampling|
nucleus sampling|beam search|greedy decoding|perplexity|language model|causal language modelling|
masked language modelling|recurrent neural network|LSTM|GRU|vanishing gradient|exploding gradient|
backpropagation|activation function|ReLU|GELU|sigmoid|convolution|pooling layer|retrieval|
vector database|cosine similarity|dot product|nearest neighbour search|HNSW graph|chunking|
retrieval-augmented generation|hallucination|grounding|evaluation metric|BLEU score|ROUGE score|
human feedback|reward model|RLHF|instruction tuning|LoRA adapter|quantization|distillation|
mixture of experts|key-value cache|sequence length|hidden state|logits|probability distribution|
loss curve|checkpoint|inference|latency|throughput|GPU memory|mini-batch|epoch|data augmentation|
bias|variance|precision|recall|F1 score|confusion matrix|baseline|ablation|benchmark""".replace("\n", "").split("|")

VERBS = """reduces|increases|controls|stabilises|speeds up|slows down|depends on|replaces|combines|
measures|approximates|limits|improves|hurts|explains|predicts|compresses|spreads|normalises|
weights|selects|filters|ranks|scores|updates|stores|forgets|remembers|encodes|decodes""".replace(
    "\n", "").split("|")

ADJECTIVES = """small|large|noisy|stable|sparse|dense|long|short|shallow|deep|fast|slow|expensive|
cheap|robust|fragile|useful|surprising|subtle|common|rare|simple|complex|hidden|visible|early|late|
careful|rough|exact""".replace("\n", "").split("|")

PLACES = """in the lecture|in the lab session|in the reading|on the slides|in the homework|
in the paper we read|during office hours|in the worked example|in last week's quiz|in the tutorial""".replace(
    "\n", "").split("|")

PEOPLE = ["the professor", "Priya", "Marco", "the TA", "our group", "Anurag", "Lena", "the textbook",
          "the guest speaker", "Sam"]

TEMPLATES = [
    "The {c1} {v} the {c2} when the {a} {c3} is used.",
    "{P} said {p} that the {c1} {v} the {c2}, which surprised most of us.",
    "A {a} {c1} usually {v} the {c2}, but only if the {c3} is {a2}.",
    "In simple terms, the {c1} is how the model {v} the {c2}.",
    "If the {c1} is too {a}, the {c2} {v} the {c3} and training becomes {a2}.",
    "Remember that the {c1} and the {c2} are not the same thing.",
    "We saw {p} that a {a} {c1} {v} the {c2} by a wide margin.",
    "Why does the {c1} {vb} the {c2}?",
    "One way to think about it: the {c1} is a {a} summary of the {c2}.",
    "The key idea is that the {c1} {v} the {c2} without changing the {c3}.",
    "{P} compared the {c1} to a {a} filter that {v} the {c2}.",
    "This matters because a {a} {c1} makes the {c2} {a2}.",
    "For the exam, know how the {c1} {v} the {c2} and why the {c3} {v2} it.",
    "Example: with {n} tokens and a {a} {c1}, the {c2} {v} the {c3}.",
    "Note to self: check whether the {c1} really {v} the {c2} {p}.",
]

BULLET_TEMPLATES = [
    "{C1} {v} the {c2}",
    "a {a} {c1} needs a {a2} {c2}",
    "watch the {c1} during {c2}",
    "{C1} versus {c2}: {a} against {a2}",
]

# Made-up names of models, datasets and papers: a real library has many rare words.
_SYL = ["ka", "lo", "mi", "ra", "te", "no", "vi", "sa", "du", "pe", "zo", "ga", "ri", "ne", "to", "bel", "mar"]


_AN = re.compile(r"\b([Aa])( [aeiou])")


def _names(rng: random.Random, n: int) -> list[str]:
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(_SYL) for _ in range(rng.randint(2, 4))).capitalize()
                + rng.choice(["", "Net", "-7B", "Bench", "QA", "former"]))
    return sorted(out)


class NoteWriter:
    """Notes from one seed. ``note(i)`` is the same text for the same ``i``, whatever came before."""

    def __init__(self, seed: int = 8) -> None:
        self.seed = seed
        self.names = _names(random.Random(seed), 3000)

    def _fill(self, rng: random.Random, template: str) -> str:
        c1, c2, c3 = rng.sample(CONCEPTS, 3)
        if rng.random() < 0.25:
            c3 = rng.choice(self.names)
        v, v2 = rng.sample(VERBS, 2)
        a, a2 = rng.sample(ADJECTIVES, 2)
        return template.format(c1=c1, c2=c2, c3=c3, C1=c1[:1].upper() + c1[1:], v=v, v2=v2,
                               vb=v.split()[0].removesuffix("s") + (" " + v.split()[1] if " " in v else ""),
                               a=a, a2=a2, p=rng.choice(PLACES), P=rng.choice(PEOPLE).capitalize(),
                               n=rng.choice([128, 512, 2048, 8192]))

    def paragraph(self, rng: random.Random, sentences: int) -> str:
        text = " ".join(self._fill(rng, rng.choice(TEMPLATES)) for _ in range(sentences))
        return _AN.sub(lambda m: m.group(1) + "n" + m.group(2), text)

    def section(self, rng: random.Random) -> str:
        """One passage's body: about 70-160 words, under the chunker's 160-word limit."""
        parts = [self.paragraph(rng, rng.randint(3, 5))]
        if rng.random() < 0.7:
            parts.append(self.paragraph(rng, rng.randint(2, 4)))
        if rng.random() < 0.25:
            parts.append("\n".join("- " + self._fill(rng, rng.choice(BULLET_TEMPLATES))
                                   for _ in range(rng.randint(2, 4))))
        return "\n\n".join(parts)

    def note(self, i: int, passages: int | None = None, size: int | None = None) -> str:
        """Note ``i``: ``passages`` sections, or sections until ``size`` bytes (UTF-8)."""
        rng = random.Random(self.seed * 1_000_003 + i)
        out = [f"# Study notes {i + 1}: {rng.choice(CONCEPTS)} and {rng.choice(CONCEPTS)}\n"]
        length, k = len(out[0]), 0
        topic = ""
        while (passages is not None and k < passages) or (size is not None and length < size):
            if k % 6 == 0:
                topic = f"{rng.choice(CONCEPTS).capitalize()} ({rng.choice(self.names)})"
                head = f"## {k // 6 + 1}. {topic}"
            else:
                head = f"### {k // 6 + 1}.{k % 6} {rng.choice(CONCEPTS).capitalize()} {rng.choice(PLACES)}"
            block = f"\n{head}\n\n{self.section(rng)}\n"
            out.append(block)
            length += len(block.encode())
            k += 1
        return "".join(out)
