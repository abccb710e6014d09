"""Page texts come from per-language gettext catalogs; names and dates from CLDR."""

import datetime as dt
import string

import pytest

from generator import messages
from generator.messages import format_day, format_month, language_name, language_title, message, missing_messages

SHIPPED = sorted(p.parent.parent.name for p in messages.LOCALE_DIR.glob("*/LC_MESSAGES/polydigest.po"))


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_ship_for_the_main_news_languages():
    assert SHIPPED == ["de", "es", "fr", "it", "pt"]


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_shipped_catalog_translates_every_text_and_keeps_its_placeholders(lang):
    assert missing_messages(lang) == []
    for key, english in messages.MESSAGES.items():
        translated = messages.catalog(lang)[key]
        assert translated.strip(), (lang, key)
        assert fields(translated) == fields(english), (lang, key)


def test_a_language_without_catalog_falls_back_to_english_and_says_which_texts():
    assert message("ja", "home_title") == "News digest"
    assert missing_messages("ja") == list(messages.MESSAGES)
    assert missing_messages("en") == []


def test_an_entry_whose_english_text_changed_is_not_used(tmp_path, monkeypatch):
    po = tmp_path / "xx" / "LC_MESSAGES" / "polydigest.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgctxt "home_title"\nmsgid "Old English text"\nmsgstr "Stale"\n\n'
                  'msgctxt "tags_title"\nmsgid "Topics"\nmsgstr "Temi"\n', encoding="utf-8")
    monkeypatch.setattr(messages, "LOCALE_DIR", tmp_path)
    messages.catalog.cache_clear()
    try:
        assert message("xx", "home_title") == "News digest"
        assert message("xx", "tags_title") == "Temi"
        assert "home_title" in missing_messages("xx") and "tags_title" not in missing_messages("xx")
    finally:
        messages.catalog.cache_clear()


def test_language_names_and_dates_come_from_cldr_in_the_page_language():
    assert language_name("en", "pt") == "inglês"
    assert language_name("it", "pt") == "italiano"
    assert language_name("pt", "de") == "Portugiesisch"
    assert language_name("th", "ar") == "التايلاندية"
    assert language_title("pt", "pt") == "Português"
    assert format_day(dt.date(2026, 12, 1), "pt") == "1 de dezembro de 2026"
    assert format_day(dt.date(2026, 12, 1), "en") == "December 1, 2026"
    assert format_day(dt.date(2026, 12, 1), "de") == "1. Dezember 2026"


def test_feed_title_names_the_site_language_in_that_language():
    assert message("pt", "feed_title", language=language_name("pt", "pt")) == "Resumo de notícias (português)"
    assert message("ar", "feed_title", language=language_name("ar", "ar")) == "News digest (العربية)"


def test_months_are_headings_in_the_site_language():
    import datetime as dt

    assert format_month(dt.date(2024, 12, 5), "pt") == "Dezembro de 2024"
    assert format_month(dt.date(2024, 12, 5), "en") == "December 2024"
