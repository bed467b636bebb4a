"""The 30 texts of the golden-file test: prose, code, numbers, URLs, emoji sequences, scripts, invisible
characters, special-token strings, a long text. Each explanation is checked in under ``golden/``."""

_PROSE = (
    "Tokenization is the initial phase of interacting with LLMs. It involves breaking the input text into "
    "smaller pieces known as tokens. Tokens can range from single characters to entire words, and the size "
    "of these tokens can greatly influence the model's performance. "
)

GOLDEN: dict[str, str] = {
    "01_english": "Tokens are not words: a single word can be several tokens. Tokenization matters for cost!",
    "02_python": (
        "def count_tokens(text: str) -> int:\n"
        "    \"\"\"Count GPT-4o tokens.\"\"\"\n"
        "    return len(enc.encode(text))  # TODO: cache\n"
    ),
    "03_numbers": "Pi is 3.14159; 1,000,000 people paid $12345678.90 on 2024-05-17 at 09:30 (id 0x1F600, -42).",
    "04_urls": "Docs: https://platform.openai.com/tokenizer?lang=en#bpe and mail anurag.dev+llm@example.co.uk today.",
    "05_family_emoji": "Family: 👨‍👩‍👧‍👦 and 👩‍💻 at work, 🏳️‍🌈 parade, 🧑🏽‍🚀 in space.",
    "06_skin_tones": "Thumbs 👍 👍🏻 👍🏽 👍🏿 and waves 👋🏾👋🏼.",
    "07_flags": "Flags: 🇫🇷 🇯🇵 🇮🇳 🇧🇷 and Scotland 🏴󠁧󠁢󠁳󠁣󠁴󠁿, plus the pirate 🏴‍☠️.",
    "08_chinese": "我们正在学习大型语言模型的分词。每个汉字通常需要三个字节。",
    "09_japanese": "トークナイザーはテキストを小さな単位に分割します。ですから、日本語は高くつきます。",
    "10_korean": "토큰화는 텍스트를 작은 조각으로 나누는 과정입니다. 한국어는 띄어쓰기를 합니다.",
    "11_arabic": "مرحبا بالعالم، هذا نص عربي عن تقسيم النص إلى رموز.",
    "12_hebrew": "שלום עולם, זהו טקסט בעברית על חלוקה לאסימונים.",
    "13_hindi": "मैं मशीन लर्निंग सीख रहा हूँ और टोकनाइज़ेशन समझना चाहता हूँ।",
    "14_combining_accents": "cafe\u0301 vs café, nai\u0308ve vs naïve, Zoe\u0308 and an o\u0302\u0323 stack.",
    "15_invisible": "in\u200bvisible soft\u00adhyphen \ufeffBOM no\u00a0break\u2003em zero\u200dwidth\u2060joiner done",
    "16_special_tokens": "User typed <|endoftext|> then [CLS] hello [SEP] and <s> plus </s> and <|fim_prefix|>.",
    "17_long_text": (_PROSE * 70 + "Mixed: 日本語, Привет, 🙂👍🏽, 12345, <|endoftext|>.\n") * 2,
    "18_contractions": "It isn't what you'd think: I'm sure they're right, and we'll see. Don't they’re?",
    "19_indentation": "if x:\n\tif y:\n\t\treturn 1\n        else:\n            return 2\n\n\n\nend",
    "20_markdown_table": "| token | id |\n|-------|----|\n| `hello` | 24912 |\n| **bold** | ~~x~~ |",
    "21_russian_greek": "Привет, мир! Это токенизация. Καλημέρα κόσμε, αυτό είναι ελληνικά.",
    "22_thai": "การตัดคำภาษาไทยไม่มีการเว้นวรรคระหว่างคำ",
    "23_math": "∑ᵢ xᵢ² ≤ ∫₀^∞ e^(−x) dx; α→β, ∀x∈ℝ, √2 ≈ 1.41421356, E = mc².",
    "24_json": "{\"name\": \"Study Buddy\", \"tokens\": [101, 2023, 102], \"ok\": true, \"ratio\": 0.75}",
    "25_unknown_words": "pizza🍕 and " + "a" * 120 + " and Mot\u00f6rhead\u2122",
    "26_precomposed": "Crème brûlée, Übergrößenträger, Tiếng Việt, Łódź, smörgåsbord, ñandú.",
    "27_bad_bytes_controls": "bad \ufffd\ufffd bytes, nul\x00 bell\x07 esc\x1b[31m red\x1b[0m del\x7f end",
    "28_bidi": "Check the file \u202egnp.exe\u202c and \u2067RTL isolate\u2069 with an \u200fRLM and \u200eLRM mark.",
    "29_keycaps_vs16": "Press 1️⃣ then #️⃣, love ❤️ not ❤, ☺️ vs ☺, and ©️ vs ©.",
    "30_short": "hi",
}
