"""Bad input gives a clear per-document error or a correct analysis, never a traceback; the run goes on."""

import json

from conftest import analyze, run_marsad

GOOD = "أعلن الجيش اللبناني، السبت، انتشار وحداته على الحدود الجنوبية بعد اجتماع أمني في بيروت."


def test_each_bad_file_gets_its_own_line_and_good_ones_survive(tmp_path):
    (tmp_path / "00_good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "01_empty.txt").write_bytes(b"")
    (tmp_path / "02_binary.bin").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "03_nul.txt").write_bytes(GOOD.encode() + b"\x00" * 50 + GOOD.encode())
    (tmp_path / "04_long_line.txt").write_text(("وقال المتحدث إن الوضع مستقر " * 40000)[:1_000_000], encoding="utf-8")
    (tmp_path / "05_malformed.html").write_text("<html><body><p>" + GOOD + "<div><span></p></b></html", encoding="utf-8")
    (tmp_path / "06_deep.html").write_text("<html><body>" + "<div>" * 20000 + GOOD + "</div>" * 20000 + "</body></html>", encoding="utf-8")
    (tmp_path / "07_bad.jsonl").write_text('{"id": "j1", "text": "' + GOOD + '"}\n{broken\n[1, 2]\n', encoding="utf-8")
    (tmp_path / "08_truncated.warc.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"WARC/1.0 junk" * 5)
    (tmp_path / "09_good.txt").write_text(GOOD.replace("بيروت", "صيدا"), encoding="utf-8")
    proc = run_marsad("analyze", str(tmp_path), "--jobs", "2")
    assert proc.returncode == 0
    assert b"Traceback" not in proc.stderr
    objs = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    by_name = {}
    for o in objs:
        by_name.setdefault(o["path"].split("/")[-1].split(":")[0].split("#")[0], []).append(o)
    assert by_name["00_good.txt"][0]["text"] == GOOD
    assert by_name["09_good.txt"][0]["text"].endswith("صيدا.")
    assert by_name["01_empty.txt"][0]["error"]["code"] == "empty"
    assert by_name["02_binary.bin"][0]["error"]["code"] == "binary_input"
    nul = by_name["03_nul.txt"][0]
    assert "error" in nul or ("\x00" not in nul["text"] and "بيروت" in nul["text"])
    long_line = by_name["04_long_line.txt"][0]
    assert "error" not in long_line and len(long_line["text"]) > 900_000
    assert "بيروت" in by_name["05_malformed.html"][0].get("text", "") or "error" in by_name["05_malformed.html"][0]
    assert by_name["06_deep.html"][0]["error"]["code"].startswith("extract")
    jsonl = by_name["07_bad.jsonl"]
    assert [o.get("error", {}).get("code") for o in jsonl] == [None, "jsonl_malformed", "jsonl_not_object"]
    assert jsonl[0]["id"] == "j1"
    assert "error" in by_name["08_truncated.warc.gz"][0]
    for o in objs:
        assert o["id"] and o["path"]


def test_persian_and_english_are_flagged_not_analysed():
    persian = "وزیر امور خارجه ایران روز دوشنبه گفت که مذاکرات با کشورهای اروپایی ادامه خواهد داشت و هیچ توافقی هنوز حاصل نشده است."
    english = "The foreign minister said on Monday that talks with European countries would continue."
    urdu = "وزیر خارجہ نے پیر کو کہا کہ یورپی ممالک کے ساتھ بات چیت جاری رہے گی اور ابھی تک کوئی معاہدہ نہیں ہوا۔"
    for text, lang in ((persian, "fa"), (english, "en"), (urdu, "ur")):
        (obj,) = analyze("-", stdin=text.encode())
        assert obj["error"]["code"] == "not_arabic" and obj["language"] == lang
        assert obj["entities"] == [] and obj["events"] == []


def test_time_limit_per_document_gives_an_error_and_the_run_goes_on(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    proc = run_marsad("analyze", str(tmp_path), "--jobs", "1", "--doc-timeout", "0.000001")
    objs = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(objs) == 2 and all(o["error"]["code"] == "timeout" for o in objs)
