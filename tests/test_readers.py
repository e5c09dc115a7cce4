"""Every reader and encoding, on real Arabic text."""

import gzip
import io
import json

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from marsad.io import detect_format, read_paths

ARTICLE = "أعلنت وزارة الخارجية العراقية، الأحد، أن الوزير سيزور طهران الأسبوع المقبل.\nوقال المتحدث باسم الوزارة إن الزيارة تهدف إلى بحث ملف المياه."


def _only(path):
    docs = list(read_paths([str(path)]))
    assert len(docs) == 1, docs
    return docs[0]


def test_plain_text_encodings(tmp_path):
    for name, data in {
        "utf8.txt": ARTICLE.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
        "utf16.txt": ARTICLE.encode("utf-16"),
        "utf16le_nobom.txt": ARTICLE.encode("utf-16-le"),
        "cp1256.txt": ARTICLE.encode("cp1256"),
    }.items():
        (tmp_path / name).write_bytes(data)
        doc = _only(tmp_path / name)
        assert doc.error is None, name
        assert doc.text.lstrip("\ufeff") == ARTICLE, name


def test_trec_collection_streams_each_document(tmp_path):
    trec = (
        "<DOC>\n<DOCNO>X-1</DOCNO>\n<URL>https://example.org/1</URL>\n<SRC>CNN</SRC>\n<TITLE>عنوان الأول</TITLE>\n"
        "<TIME>Sun, 15 Jul 2018 21:56:56 +0400</TIME>\n<AUTHOR>القاهرة- أحمد</AUTHOR>\n<TEXT>\n" + ARTICLE + "\n</TEXT>\n</DOC>\n"
        "<DOC>\n<DOCNO>X-2</DOCNO>\n<TITLE>الثاني</TITLE>\n<TEXT>\nنص قصير عن بغداد.\n</TEXT>\n</DOC>\n"
    )
    (tmp_path / "c.txt").write_text(trec, encoding="utf-8")
    docs = list(read_paths([str(tmp_path / "c.txt")]))
    assert [d.id for d in docs] == ["X-1", "X-2"]
    assert docs[0].published == "2018-07-15" and docs[0].outlet == "CNN" and docs[0].title == "عنوان الأول"
    assert docs[0].text.strip() == ARTICLE


def test_truncated_trec_reports_the_broken_document(tmp_path):
    (tmp_path / "t.trec").write_text("<DOC>\n<DOCNO>A</DOCNO>\n<TEXT>\nنص\n</TEXT>\n</DOC>\n<DOC>\n<DOCNO>B</DOCNO>\n<TEXT>\nنص مقطوع", encoding="utf-8")
    docs = list(read_paths([str(tmp_path / "t.trec")]))
    assert docs[0].error is None and docs[1].error[0] == "trec_truncated"


def test_jsonl_keeps_ids_and_reports_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": ARTICLE, "outlet": "العين الإخبارية", "published": "2024-01-02"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "a3", "html": "<html><body><p>" + ARTICLE + "</p></body></html>"}, ensure_ascii=False),
        json.dumps({"id": "a4", "title": "بلا نص"}, ensure_ascii=False),
    ]
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_paths([str(tmp_path / "d.jsonl")]))
    assert [d.id for d in docs] == ["a1", None, "a3", "a4"]
    assert docs[0].outlet == "العين الإخبارية" and docs[0].published == "2024-01-02"
    assert docs[1].error[0] == "jsonl_malformed" and docs[1].path.endswith(":2")
    assert docs[2].html and not docs[2].text
    assert docs[3].error[0] == "jsonl_no_text"


def test_jsonl_and_trec_take_a_bom_off_and_report_a_broken_one(tmp_path):
    record = json.dumps({"id": "b1", "text": ARTICLE}, ensure_ascii=False).encode("utf-8")
    (tmp_path / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + record + b"\n")
    (tmp_path / "bom.trec").write_bytes(b"\xef\xbb\xbf<DOC>\n<DOCNO>t1</DOCNO>\n<TEXT>\n" + ARTICLE.encode("utf-8") + b"\n</TEXT>\n</DOC>\n")
    # A file cut inside its BOM: an error for it, not silence.
    (tmp_path / "cut.jsonl").write_bytes(b"\xef")
    docs = {d.path.split("/")[-1]: d for d in read_paths([str(tmp_path / n) for n in ("bom.jsonl", "bom.trec", "cut.jsonl")])}
    assert docs["bom.jsonl:1"].id == "b1" and docs["bom.jsonl:1"].text == ARTICLE
    assert next(d for p, d in docs.items() if p.startswith("bom.trec")).text.strip() == ARTICLE
    assert docs["cut.jsonl:1"].error[0] == "jsonl_malformed"


def _warc(path, records, truncate=False):
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")), http_headers=headers))
    data = buf.getvalue()
    path.write_bytes(data[: len(data) - 40] if truncate else data)


def test_warc_response_records(tmp_path):
    page = "<html><head><title>خبر</title></head><body><article><p>" + ARTICLE + "</p></article></body></html>"
    _warc(tmp_path / "a.warc.gz", [("https://example.org/a", page), ("https://example.org/b", page.replace("طهران", "دمشق"))])
    docs = list(read_paths([str(tmp_path / "a.warc.gz")]))
    assert [d.url for d in docs] == ["https://example.org/a", "https://example.org/b"]
    assert all(d.html and "دمشق" in docs[1].html for d in docs)


def test_truncated_warc_keeps_the_complete_records(tmp_path):
    page = "<html><body><p>" + ARTICLE + "</p></body></html>"
    _warc(tmp_path / "t.warc.gz", [("https://example.org/1", page), ("https://example.org/2", page)], truncate=True)
    docs = list(read_paths([str(tmp_path / "t.warc.gz")]))
    assert docs[0].error is None and docs[0].url == "https://example.org/1"
    assert docs[-1].error is not None


def test_format_detection_by_content_first():
    assert detect_format("x.txt", b"<DOC>\n<DOCNO>") == "trec"
    assert detect_format("x.txt", b"<!DOCTYPE html><html>") == "html"
    assert detect_format("x", b'{"text": "\xd9\x86\xd8\xb5"}\n') == "jsonl"
    assert detect_format("x.warc.gz", gzip.compress(b"WARC/1.0\r\n")) == "warc"
    assert detect_format("x.txt", "خبر عاجل".encode()) == "text"
