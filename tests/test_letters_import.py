"""Tolstoy's letters as a reader of the printed volume has them: import, build, and the scorer's figures."""

import json
import subprocess
import sys

import pytest

from conftest import LETTERS, SHARED
from dossier import cli
from dossier.enrich.initials import expand_initials, expand_person, initials_of

SCORER = SHARED / "eval" / "letters.py"


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("letters")
    subprocess.run([sys.executable, str(SCORER), "text", str(LETTERS), str(tmp / "txt")], check=True,
                   capture_output=True)
    with pytest.raises(SystemExit) as done:
        cli.main.main(["import", str(tmp / "txt"), "--into", str(tmp / "p"), "--lang", "ru", "-q"])
    assert done.value.code in (0, 3)
    cli.run(["build", str(tmp / "p"), "--out", str(tmp / "out"), "--format", "json", "-q"])
    out = subprocess.run([sys.executable, str(SCORER), "score", str(LETTERS), str(tmp / "out" / "edition.json")],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out), tmp


def test_letters_metadata_recovered_from_the_printed_headings(scored):
    res, _ = scored
    assert res["documents_found"] == res["letters"] == 60
    assert res["number"] >= 0.98
    assert res["date_from"] >= 0.95
    assert res["date_interval"] >= 0.90
    assert res["place"] >= 0.80  # `Я. П.` spelled out from the letters' own notes
    # the scorer keys the gold's catalogue form (`Некрасов Николай Алексеевич`) on its last word,
    # the patronymic, so only addressees whose patronymic the edition spells out can match
    assert res["addressee"] >= 0.6


def test_an_addressee_printed_with_initials_gets_the_full_name_of_its_index_entry(scored):
    # letter 507 is headed `Н. М. Нагорнову` and greets him `любезный Николай Михайлович`:
    # the heading's and the salutation's mentions are one index entry, whose full name the
    # document's addressee takes; the printed form is kept
    _, tmp = scored
    docs = {d["id"]: d for d in json.loads((tmp / "out" / "edition.json").read_text(encoding="utf-8"))["documents"]}
    nagornov = docs["v62_507_N_M_Nagornovu"]
    assert nagornov["addressees"] == ["Нагорнов Николай Михайлович"]
    # Fet is greeted with a contracted patronymic, `дорогой Афанасий Афанасьич`
    assert docs["v62_372_A_A_Fetu"]["addressees"] == ["Фет Афанасий Афанасьевич"]
    text = (tmp / "p" / "documents" / "v62_507_N_M_Nagornovu.md").read_text(encoding="utf-8")
    assert "addressees_as_printed:\n- Нагорнов Н. М." in text


def test_places_and_names_printed_as_initials_are_spelled_out_from_the_text():
    text = "Письмо написано в Ясной Поляне. Из Ясной Поляны он уехал; в Ясную Поляну вернулся."
    assert expand_initials("Я. П.", [text]) == "Ясная Поляна"
    assert expand_initials("М.", [text]) is None and initials_of("М.") is None
    note = "Николай Алексеевич Некрасов (1821—1878) — поэт. Некрасову посвящено..."
    assert expand_person("Некрасов Н. А.", [note]) == "Некрасов Николай Алексеевич"
    assert expand_person("Некрасов С. А.", [note]) is None


def test_an_addressee_the_editor_set_back_to_initials_stays_so(scored):
    # the full name is given once; an editor who prefers the printed form keeps it on the next run
    from dossier import project
    from dossier.enrich.annotate import annotate_project
    from dossier.report import Report

    _, tmp = scored
    root = tmp / "p"
    path = root / "documents" / "v62_507_N_M_Nagornovu.md"
    text = path.read_text(encoding="utf-8")
    assert "- Нагорнов Николай Михайлович" in text
    path.write_text(text.replace("- Нагорнов Николай Михайлович", "- Нагорнов Н. М.", 1), encoding="utf-8")
    annotate_project(root, Report())
    doc = project.read_document(path)
    assert doc.addressees == ["Нагорнов Н. М."]
