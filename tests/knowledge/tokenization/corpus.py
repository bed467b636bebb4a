"""Texts every tokenizer test runs over: English, code, whitespace runs, emoji, CJK, Arabic, numbers,
special-token strings and control characters."""

CORPUS: dict[str, str] = {
    "english": "Tokens are not words — a single word can be multiple tokens. Tokenization matters!",
    "code": "def tokenize(text: str) -> list[int]:\n\treturn enc.encode(text)  # TODO: cache\n",
    "whitespace": "a  b   c\t\td\n\n\n   e \r\n f      \n",
    "emoji": "I love 🤖 and 👨‍👩‍👧‍👦 and 🏳️‍🌈! 😀😀😀 ❤️",
    "cjk": "日本語のテキストと中文文本，한국어 텍스트",
    "arabic": "مرحبا بالعالم، هذا نص عربي.",
    "numbers": "3.14159 12345678 1,000,000 2024-05-17 0x1F600 -42",
    "special": "<|endoftext|> <|endofprompt|> <|fim_prefix|> <s> </s> [CLS] [SEP] [MASK]",
    "controls": "nul\x00bell\x07esc\x1b del\x7f zwj\u200d bidi\u202eevil\u2028end",
    "mixed": "GPT-4o costs $2.50/M; Karpathy's «tokenizers» in Ελληνικά, Русский и 中文 🙂\n",
}
