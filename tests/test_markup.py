"""The document markup reads back what importers write, and never alters the source text."""

import pytest

from dossier import markup


@pytest.mark.parametrize("text", [
    "[Omitted here is a list.]", "a [b c", "x]{y}", "[^1] is literal", "# not a heading\n::: not a fence",
    "a*b**c", "back\\slash \\", "[[x]]{", "Line one\nline two", "Хрущёв [sic] — «цитата»",
])
def test_escape_round_trips_source_text(text):
    assert markup.plain_text(markup.escape(text)) == text


def test_parse_marks_notes_and_fences():
    body = ("Dear Mr. [Khrushchev]{person=p_KNS2}: I *think* [Moscow]{place}[^1].\\\nNext\n\n"
            "## Sub\n\n[^1]: A note on [Kennedy]{person=p_KJF2}.\n\n::: closer\nN. Khrushchev\n:::\n")
    blocks = markup.parse(body)
    assert [b.kind for b in blocks] == ["p", "head", "note", "div"]
    assert markup.serialize(blocks) == body
    assert [(m.kind, m.ref) for m in markup.mentions(body)] == [
        ("person", "p_KNS2"), ("place", None), ("person", "p_KJF2")]
    assert markup.note_refs(body) == [("1", 1)]
    assert markup.plain_text(body).startswith("Dear Mr. Khrushchev: I think Moscow.\nNext")


def test_bad_marks_name_the_line():
    with pytest.raises(markup.MarkupError) as err:
        markup.parse("one\n\n[Kennedy]{pers=x}")
    assert err.value.line == 3
    with pytest.raises(markup.MarkupError):
        markup.parse("::: closer\nnever closed")


def test_mark_spans_keeps_text_and_reports_what_it_cannot_mark():
    body = "Hello Nikita Khrushchev and *Kennedy* in Moscow.\n\nSecond Moscow."
    text = markup.plain_text(body)
    spans = [markup.Span(text.find("Nikita"), text.find("Nikita") + 17, "person", "p1"),
             markup.Span(text.find("Kennedy"), text.find("Kennedy") + 7, "person"),
             markup.Span(text.rfind("Moscow"), text.rfind("Moscow") + 6, "place", "m"),
             markup.Span(text.find("and"), text.find("Kennedy") + 3, "person")]
    new, skipped = markup.mark_spans(body, spans)
    assert markup.plain_text(new) == text
    assert "[Nikita Khrushchev]{person=p1}" in new and "*[Kennedy]{person}*" in new
    assert "Second [Moscow]{place=m}." in new
    assert len(skipped) == 1


def test_mark_spans_gives_a_mark_without_an_entry_the_spans_entry():
    body = "Mrs. [Kennedy]{person} wrote to [Khrushchev]{person=p-k} and [Rusk]{person}.\n"
    plain = markup.plain_text(body)
    a = plain.index("Kennedy")
    r = plain.index("Rusk")
    new, skipped = markup.mark_spans(body, [markup.Span(a, a + 7, "person", "p-jbk"),
                                            markup.Span(r, r + 2, "person", "p-r")])
    assert "[Kennedy]{person=p-jbk}" in new  # exactly the mark: linked
    assert "[Rusk]{person}" in new and len(skipped) == 1  # part of a mark: not
    assert markup.plain_text(new) == plain
