"""The ``/tokenize`` reply: the explainer's report (``knowledge.tokenization``) worded for chat."""

from bot.tokenization.command import TokenizeRequest, parse_command
from bot.tokenization.reply import explain_text, report_json, tokenize_reply, warm_up

__all__ = ["TokenizeRequest", "explain_text", "parse_command", "report_json", "tokenize_reply", "warm_up"]
