"""A printed index read by OCR: the references of an index that cites documents with their pages
(`7 (9)`) come back though OCR garbles them, and a name's generational suffix is kept both ways."""

from __future__ import annotations

from dossier.ingest.structure import name_variants, parse_printed_index

NOTE = "Numbers refer to documents; page numbers follow in parentheses."


def _entries(*lines: str) -> dict[str, tuple[int, ...]]:
    return {e.name: e.refs for e in parse_printed_index("\n".join((NOTE, *lines)))}


def test_references_garbled_by_ocr_are_read() -> None:
    got = _entries(
        "Khrushchev, Nikita S., Chairman of the Council of Ministers, 1 (1), 2 (1),",
        "9 (20), 10:(21); 11 (23), 12:(24), 13°(28); 14:31),",  # stops and specks, a lost parenthesis
        "15 (32)",
        "Salinger, Pierre, President's Press Secretary,",
        "7ZA(9)",  # the space read as letters
        "Souvanna Phouma, Prince, Prime Minister of Laos,",
        "7(Q)",  # a figure read as the letter it looks like
        "Kennedy, John F., 1O (21), l1 (23)",
        "Zorin, 23 (51)",
    )
    assert got["Khrushchev, Nikita S."] == (1, 2, 9, 10, 11, 12, 13, 14, 15)
    assert got["Salinger, Pierre"] == (7,)
    assert got["Souvanna Phouma, Prince"] == (7,)
    assert got["Kennedy, John F."] == (10, 11)
    assert got["Zorin"] == (23,)


def test_years_in_a_description_are_not_references() -> None:
    got = parse_printed_index("\n".join((
        NOTE,
        "Johnson, Lyndon B., Vice President of the United States until November 22, 1963;",
        "thereafter President, 24 (53)",
        "Thompson, Llewellyn E., Jr., Ambassador at Large from October 1962, 4 (2), 25 (54)",
        "INDEX OF PLACES 57",  # a running head with its page number: no document with its page
    )))
    assert [(e.name, e.refs) for e in got] == [("Johnson, Lyndon B.", (24,)), ("Thompson, Llewellyn E., Jr.", (4, 25))]
    assert got[0].description.endswith("November 22, 1963; thereafter President")


def test_a_generational_suffix() -> None:
    got = parse_printed_index("\n".join((
        NOTE,
        "Thompson, Llewellyn E., Jr, Ambassador to the Soviet Union, 4 (2)",  # the stop read as the comma
        "Stevenson, Adlai E., III, Permanent Representative to the United Nations, 20 (44)",
    )))
    assert [e.name for e in got] == ["Thompson, Llewellyn E., Jr.", "Stevenson, Adlai E., III"]
    assert got[1].description == "Permanent Representative to the United Nations"
    assert name_variants("Stevenson, Adlai E., III") == ["Stevenson, Adlai E."]
    assert name_variants("Thompson, Llewellyn E., Jr.") == ["Thompson, Llewellyn E.", "Thompson, Llewellyn E., Jr"]
    assert name_variants("Khrushchev, Nikita S.") == []
    assert name_variants("Louis XIV") == []  # no comma: not an index's `Surname, Given, Suffix`
