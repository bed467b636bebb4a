"""How a thing "acts" is the notes' "behavior": asked whether a prompt's wording changes how the model acts, the
takeaway that prompt engineering impacts LLM behavior leads."""

from knowledge.text import PARAPHRASES


def test_how_the_model_acts_is_its_behavior(knowledge_base):
    hits = knowledge_base.search("if I word my prompt differently, will the model act differently?")
    assert "impacts LLM behavior" in hits[0].text, hits[0].title


def test_acting_as_someone_is_still_a_role():
    # The longer phrase is looked up first: "act as a lawyer" is a role, not behaviour.
    assert PARAPHRASES["act as"] == ("role",)
    assert "behavior" in PARAPHRASES["act"]
