"""The ``/tokenize`` reply: the explainer's report (``knowledge.tokenization``) worded for chat."""

from bot.tokenization.reply import explain_text, report_json, tokenize_reply, warm_up

__all__ = ["explain_text", "report_json", "tokenize_reply", "warm_up"]
