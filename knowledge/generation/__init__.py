"""Answers written by a language model from the retrieved notes, cited and checked.

- ``client``: the OpenAI chat-completions protocol (JSON and streamed), one typed failure;
- ``failures``: that failure (``ModelUnavailable``, with a ``Failure`` kind);
- ``prompt``: the messages, with notes and user text as data;
- ``citations``: what may be shown of a reply, and its sources;
- ``grounded``: the three together (answer, stream, follow-up rewrite).

Nothing is imported here: a process without a model never loads the HTTP client library.
"""
