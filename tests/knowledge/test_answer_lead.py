"""Which passage an answer opens with, and what joins it: unit tests on the composer's choices."""

from knowledge.answer import _leader, _Scored
from knowledge.types import Hit


def _hit(n: int, heading: float) -> Hit:
    return Hit(f"c{n}", f"Notes › Part {n}", "text", "n.md", 1.0 - n / 20, heading=heading)


def _said(rank: int, text: str, score: float, cos: float) -> list[_Scored]:
    return [_Scored(rank, 0, text, score, False, cos=cos), _Scored(rank, 1, "Filler.", score / 2, False, cos=cos / 2)]


def test_a_passage_whose_best_sentence_is_far_closer_leads():
    """"can one word be more than one token?": the retrieval's first passage (on moving words closer on a
    meaning map, 0.34) must not open the answer when another cited passage says "a single word can be
    multiple tokens" (0.90); the passage it replaces is left out, and the rest keep their order."""
    hits = (_hit(0, 0.42), _hit(1, 0.07), _hit(2, 0.65))
    per_hit = [_said(0, "Move similar words closer together.", 0.53, 0.34),
               _said(1, "Tokens are not words — a single word can be multiple tokens.", 1.01, 0.90),
               _said(2, "Tokens can range from single characters to entire words.", 0.72, 0.61)]
    assert _leader(0, [1, 2], per_hit, hits) == (1, [2])


def test_the_lead_stays_when_the_other_is_only_somewhat_closer_or_its_heading_names_the_question():
    per_hit = [_said(0, "Initially every token is assigned a random vector.", 0.51, 0.47),
               _said(1, "The model updates the embeddings during training.", 0.74, 0.66)]
    assert _leader(0, [1], per_hit, (_hit(0, 0.25), _hit(1, 0.25))) == (0, [1])
    # "This is a translator." answers "what is the projection layer for" under a heading that names it.
    per_hit = [_said(0, "It reshapes the visual features.", 0.21, 0.21),
               _said(1, "LLaVA is CLIP plus Vicuna, joined by a linear projection.", 0.85, 0.68)]
    assert _leader(0, [1], per_hit, (_hit(0, 0.89), _hit(1, 0.69))) == (0, [1])
