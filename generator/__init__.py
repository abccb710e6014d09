"""polydigest: a static, multilingual news-digest site generator (offline)."""

__version__ = "0.1.0"
