"""Articles written to attack the site: markup, scripts, URLs and template syntax in
titles, bodies and source lines. Every payload carries MARK so tests can find it."""

from pathlib import Path

MARK = "XSS"
PAYLOADS = [
    f"<script>alert('{MARK}1')</script>",
    f'<img src=x onerror="alert(\'{MARK}2\')">',
    f"<iframe src='https://evil.example/{MARK}3'></iframe>",
    f"[click me](javascript:alert('{MARK}4'))",
    f"<a href=\"javascript:alert('{MARK}5')\">link</a>",
    f"![{MARK}6](https://evil.example/{MARK}6.png)",
    f"<div onclick=\"alert('{MARK}7')\">raw html block</div>",
    f"{{% include '{MARK}8' %}} {{{{ config.{MARK}9 }}}}",
    f"---\ntitle: {MARK}10\n---",
    f"<svg onload=alert('{MARK}11')>",
    f"<style>body{{background:url(javascript:alert('{MARK}12'))}}</style>",
    f"<{MARK}13@evil.example> <https://evil.example/{MARK}14>",
    f"{{: onclick=\"alert('{MARK}15')\" }}",
]
HOSTILE_ARTICLES = {
    "breakout-title.txt": f"</title><script>alert('{MARK}30')</script>\" onmouseover=\"alert('{MARK}31')\n\n"
                          "Body text of the breakout story. It has two sentences.",
    "script-title.txt": f"{PAYLOADS[0]} Breaking News\n\n"
                        + " ".join(f"Paragraph with {p} inside it." for p in PAYLOADS),
    "yaml-title.txt": f"title: {MARK}20 --- key: value\n\nThe body mentions {PAYLOADS[8]} and more text. "
                      "Second sentence here.",
    "source-line.txt": (f"Headline With Source\nSource: {PAYLOADS[1]}\njavascript:alert('{MARK}21')\n\n"
                        f"Body text {PAYLOADS[3]}. More body {PAYLOADS[4]}. Even more {PAYLOADS[5]}."),
    "raw-block.txt": "Raw Blocks\n\n" + "\n\n".join(PAYLOADS),
    "safe-link.txt": "Safe Link Story\nhttps://news.example.org/story?a=1&b=2\n\n"
                     "A normal article. It has two sentences.",
}


def write_hostile_seeds(folder: Path) -> Path:
    for name, text in HOSTILE_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
