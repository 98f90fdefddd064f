"""A file that is not a usable REFI-QDA project is refused with the file and what to do."""

from __future__ import annotations

import zipfile

import pytest

from voiceminer.errors import InputFileError, VoiceminerError
from voiceminer.qda import export_qdpx
from voiceminer.qda.read import norm_guid, read_project


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("members,match", [
    (None, "not a REFI-QDA project"),
    ({"notes.txt": "x"}, "holds no project.qde"),
    ({"project.qde": "<Project"}, "malformed XML"),
    ({"project.qde": "<Project xmlns='urn:other'/>"}, "not Project in namespace"),
    ({"project.qde": "<Project xmlns='urn:QDA-XML:project:1.0' name='p'><Sources><TextSource "
                     "guid='00000000-0000-0000-0000-000000000001' name='a' "
                     "plainTextPath='internal://gone.txt'/></Sources></Project>"},
     "does not hold"),
], ids=["not-a-zip", "no-qde", "bad-xml", "wrong-namespace", "missing-source-text"])
def test_bad_projects_are_refused_with_the_reason(tmp_path, members, match):
    path = tmp_path / "p.qdpx"
    if members is None:
        path.write_text("just text", encoding="utf-8")
    else:
        _zip(path, members)
    with pytest.raises(InputFileError, match=match) as info:
        read_project(path)
    assert "p.qdpx" in str(info.value)


def test_inline_text_braced_guids_and_capitalised_sources_folder(tmp_path):
    qde = ("<Project xmlns='urn:QDA-XML:project:1.0' name='p'><Sources>"
           "<TextSource guid='{0000000a-0000-0000-0000-000000000001}' name='a'>"
           "<PlainTextContent>甲乙丙</PlainTextContent>"
           "<PlainTextSelection guid='00000000-0000-0000-0000-000000000002' startPosition='2' "
           "endPosition='1'/></TextSource>"
           "<TextSource guid='00000000-0000-0000-0000-000000000003' name='b' "
           "plainTextPath='internal://B.txt'/></Sources></Project>")
    project = read_project(_zip(tmp_path / "p.qdpx", {"project.qde": qde,
                                                       "Sources/B.txt": "\ufeff丁戊".encode()}))
    a, b = project.sources
    assert a.guid == "0000000A-0000-0000-0000-000000000001"
    assert (a.text, a.selections[0].start, a.selections[0].end) == ("甲乙丙", 1, 2)
    assert b.text == "丁戊"  # byte-order mark dropped: positions count from the first character
    assert norm_guid("{abc}") == "ABC"


def test_export_wants_a_qdpx_name(qda_run, tmp_path):
    with pytest.raises(VoiceminerError, match=r"\.qdpx"):
        export_qdpx(qda_run, tmp_path / "study.zip")
