"""Near-duplicates: a syndicated copy is linked to the earliest version; a different story is not."""

from marsad.corpus.dedupe import DuplicateIndex, find_copies

ORIGINAL = (
    "أعلنت وزارة الدفاع التركية، الثلاثاء، أن قواتها نفذت غارات جوية على مواقع لحزب العمال الكردستاني في شمال العراق، "
    "ما أسفر عن تدمير مخازن أسلحة وملاجئ. وقالت الوزارة في بيان إن الغارات استهدفت منطقتي قنديل وسنجار، "
    "وإن جميع الطائرات عادت إلى قواعدها بسلام. ولم يصدر تعليق فوري من الحكومة العراقية على الغارات، "
    "فيما دانت حكومة إقليم كردستان في وقت سابق عمليات مماثلة وطالبت بوقفها حفاظا على أرواح المدنيين."
)
# Republished a day later by another site: hamza forms dropped, a dateline and a closing line added.
COPY = (
    "انقرة - وكالات: اعلنت وزارة الدفاع التركية، الثلاثاء، ان قواتها نفذت غارات جوية على مواقع لحزب العمال الكردستاني في شمال العراق، "
    "ما اسفر عن تدمير مخازن اسلحة وملاجئ. وقالت الوزارة في بيان ان الغارات استهدفت منطقتي قنديل وسنجار، "
    "وان جميع الطائرات عادت الى قواعدها بسلام. ولم يصدر تعليق فوري من الحكومة العراقية على الغارات، "
    "فيما دانت حكومة اقليم كردستان في وقت سابق عمليات مماثلة وطالبت بوقفها حفاظا على ارواح المدنيين. تابعونا على تلغرام."
)
OTHER = (
    "قالت وزارة الدفاع التركية إن وزير الدفاع التقى نظيره العراقي في أنقرة، وبحث معه التعاون الأمني على الحدود المشتركة "
    "وملف المياه، واتفق الجانبان على تشكيل لجنة فنية تجتمع الشهر المقبل في بغداد لمتابعة تنفيذ التفاهمات، "
    "كما ناقشا مشروع طريق التنمية الذي يربط الخليج بتركيا عبر الأراضي العراقية وسبل تمويله."
)


def test_copy_is_linked_to_the_earliest_version_even_when_seen_first():
    index = DuplicateIndex()
    assert index.add("copy", COPY, "2024-03-06") is None  # nothing earlier known yet
    link = index.add("orig", ORIGINAL, "2024-03-05")
    assert link is None  # the original is the earliest version itself
    assert index.original_of("copy") == "orig"
    assert index.groups() == [["orig", "copy"]]
    assert index.add("other", OTHER, "2024-03-05") is None


def test_find_copies_reports_similarity():
    copies = find_copies([("a", ORIGINAL, "2024-03-05"), ("b", COPY, "2024-03-06"), ("c", OTHER, "2024-03-05")])
    assert [(c.doc_id, c.original) for c in copies] == [("b", "a")]
    assert copies[0].similarity >= 0.7
