"""Claims, sources (isnad), quotes and message chains on Arabic news sentences."""

from __future__ import annotations


from marsad.nlp.events import create as create_events
from marsad.nlp.sources import create, extract

from conftest import make_doc


def chain(claim) -> list[tuple[str, str]]:
    return [(s.text, s.kind) for s in claim.sources]


def test_outlet_citing_anonymous_sources():
    doc = make_doc(
        "كما نقلت صحيفة غارديان البريطانية عن مصادر استخباراتية رفيعة قولها إن سليماني اجتمع بقادة الفصائل.",
        [("ORG", "غارديان"), ("PER", "سليماني")],
    )
    claims, _ = extract(doc)
    assert len(claims) == 1  # قولها continues the same attribution
    assert chain(claims[0]) == [("صحيفة غارديان البريطانية", "named_outlet"), ("مصادر استخباراتية رفيعة", "anonymous")]
    assert claims[0].sources[0].entity == "e1"
    assert claims[0].cue.text == "نقلت"
    q = claims[0].quote
    assert q.kind == "indirect" and doc.text[q.start : q.end].startswith("إن سليماني")


def test_source_speaking_to_an_outlet_puts_the_outlet_first():
    doc = make_doc("وقال مصدر مطلع لـ”العين الإخبارية”، إن قاآني حضر اجتماع الإطار.", [("ORG", "العين الإخبارية")])
    (claim,), _ = extract(doc)
    assert chain(claim) == [("العين الإخبارية", "named_outlet"), ("مصدر مطلع", "anonymous")]

    doc = make_doc("أفاد مسؤول عراقي لوكالة فرانس برس بأن الهجوم استهدف القاعدة.", [])
    (claim,), _ = extract(doc)
    assert chain(claim) == [("وكالة فرانس برس", "named_outlet"), ("مسؤول عراقي", "official_unnamed")]


def test_kinds():
    cases = [
        ("وذكرت صحيفة واشنطن بوست نقلا عن 3 مسؤولين أميركيين أن الاتفاق بات قريبا.", [], "3 مسؤولين أميركيين", "official_unnamed"),
        ("ومن جانبه، قال ترامب يوم الخميس، إنه لا يريد الحرب.", [("PER", "ترامب")], "ترامب", "named_person"),
        ("وأكدت وزارة الخارجية أن المفاوضات مستمرة.", [("ORG", "وزارة الخارجية")], "وزارة الخارجية", "named_org"),
        ("كشفت مصادر مقربة من الحزب، أن الاجتماع تأجل.", [], "مصادر مقربة من الحزب", "anonymous_affiliated"),
        ("وبحسب دبلوماسي غربي فإن العقوبات ستشدد.", [], "دبلوماسي غربي", "official_unnamed"),
    ]
    for text, ents, source, kind in cases:
        claims, _ = extract(make_doc(text, ents))
        assert claims, text
        assert (source, kind) == chain(claims[0])[-1], text


def test_anaphora_continue_the_earlier_source():
    doc = make_doc(
        "كشفت مصادر مقربة من المقاومة، أن الأمريكيين أرسلوا وسطاء. وقال مسؤول محلي إن الطرق مغلقة. "
        "وتقول هذه المصادر إن المفاوضات بدأت. وأضافت أن الوفد وصل.",
        [],
    )
    claims, _ = extract(doc)
    assert [c.cue.text for c in claims] == ["كشفت", "قال", "تقول", "أضافت"]
    assert chain(claims[2]) == [("مصادر مقربة من المقاومة", "anonymous_affiliated")]
    assert chain(claims[3]) == chain(claims[2])


def test_subject_before_the_verb():
    doc = make_doc(
        "وتقول المصادر ان شخصيات كردية بينهم مسؤول امني كبير في اربيل ٫ اكد بان السفارة مستعدة للتخلي عن مرشحها.",
        [("LOC", "اربيل")],
    )
    claims, _ = extract(doc)
    # nested reporting: the sources say that the figures confirmed
    assert chain(claims[-1]) == [("المصادر", "anonymous"), ("شخصيات كردية بينهم مسؤول امني كبير في اربيل", "anonymous")]
    assert claims[-1].cue.text == "اكد"


def test_direct_quote_with_speaker():
    doc = make_doc(
        "وقال وزير الخارجية الإيراني محمد جواد ظريف: «لن نسمح لأحد بالتدخل في شؤوننا».",
        [("PER", "محمد جواد ظريف")],
    )
    (claim,), quotes = extract(doc)
    assert chain(claim) == [("وزير الخارجية الإيراني محمد جواد ظريف", "named_person")]
    assert claim.quote.kind == "direct" and claim.quote.speaker == "e1"
    assert doc.text[claim.quote.start : claim.quote.end] == "لن نسمح لأحد بالتدخل في شؤوننا"
    assert quotes == [claim.quote]


def test_not_claims():
    for text in (
        "ونقول إن الوضع لا يحتمل التأجيل.",  # the writer's own voice
        "وسيعلن الرئيس موقفه غدا.",  # a future announcement
        "وتتحفظ الوكالة عن ذكر اسمه في الوقت الحالي.",  # verbal noun after a preposition
        "وصلت القوات التابعة للجيش إلى المدينة.",  # تابعة is not تابع
        "ليس فحسب عن تمركز عناصر التنظيم.",
    ):
        claims, _ = extract(make_doc(text, []))
        assert claims == [], text


def test_events_link_to_their_claim_and_chains():
    doc = make_doc(
        "وقال مصدر مطلع إن بومبيو طلب من السفير الأميركي لدى العراق دوجلاس سيليمان تسليم قاسم سليماني رسالة عاجلة.",
        [("PER", "بومبيو"), ("LOC", "العراق"), ("PER", "دوجلاس سيليمان"), ("PER", "قاسم سليماني")],
    )
    doc = create()(create_events()(doc))
    request = next(e for e in doc.events if e.type == "REQUEST")
    assert request.claim == doc.claims[0].id
    assert [h.text for h in doc.chains[0].hops] == ["بومبيو", "دوجلاس سيليمان", "قاسم سليماني"]
    assert doc.chains[0].event == request.id


def test_message_carried_from_sender_to_recipient():
    doc = make_doc(
        "وحمل قاآني رسالة من المرشد علي خامنئي إلى قادة الإطار التنسيقي.",
        [("PER", "قاآني"), ("PER", "علي خامنئي"), ("ORG", "الإطار التنسيقي")],
    )
    doc = create()(create_events()(doc))
    assert [h.entity for h in doc.chains[0].hops] == ["e2", "e1", "e3"]


def test_chain_across_a_time_phrase_and_a_title_running_on_to_the_name():
    doc = make_doc(
        "قالت شبكة تلفزيونية أميركية، الخميس، نقلا عن مسؤولين كبار في إدارة الرئيس دونالد ترامب، إن الاتفاق تم.",
        [("PER", "دونالد ترامب")],
    )
    (claim,), _ = extract(doc)
    assert chain(claim) == [
        ("شبكة تلفزيونية أميركية", "named_outlet"),
        ("مسؤولين كبار في إدارة الرئيس دونالد ترامب", "official_unnamed"),  # the name is their employer
    ]
    doc = make_doc("قال القائد العام للجيش الوطني الليبي المشير خليفة حفتر إن تحرير العاصمة قريب.", [("PER", "خليفة حفتر")])
    (claim,), _ = extract(doc)
    assert chain(claim) == [("القائد العام للجيش الوطني الليبي المشير خليفة حفتر", "named_person")]
    assert claim.sources[0].entity == "e1"


def test_subject_right_before_the_verb_and_no_borrowed_subject():
    doc = make_doc(
        "وقال بوتين إن بلاده لم تتدخل. وكانت المملكة المتحدة قالت في وقت سابق إنها تملك الأدلة. "
        "ويواجه الرئيس قضيتين، الأولى لامرأة تؤكد أنها تعرضت للتحرش.",
        [("PER", "بوتين"), ("LOC", "المملكة المتحدة")],
    )
    claims, _ = extract(doc)
    assert [chain(c) for c in claims] == [[("بوتين", "named_person")], [("المملكة المتحدة", "named_org")]]


def test_negated_cue_and_a_named_official():
    claims, _ = extract(make_doc("ولم يذكر ترامب أي مصدر لهذا الرقم.", [("PER", "ترامب")]))
    assert claims == []
    doc = make_doc("وقال المسؤول في حركة التغيير الديمقراطي تنداي بيتي إن النتائج مزورة.", [("PER", "تنداي بيتي")])
    (claim,), _ = extract(doc)
    assert claim.sources[0].kind == "named_person" and claim.sources[0].entity == "e1"


def test_kinds_of_official_local_and_titled_sources():
    cases = [
        ("وقالت مصادر أمنية عراقية إن الهجوم وقع فجرا.", [], "مصادر أمنية عراقية", "official_unnamed"),
        ("وقال مصدر من داخل البيضاء إن الاشتباكات توقفت.", [("LOC", "البيضاء")], "مصدر من داخل البيضاء", "anonymous"),
        ("وقال مصدر في حزب الله إن الحزب لن يرد.", [("ORG", "حزب الله")], "مصدر في حزب الله", "anonymous_affiliated"),
        ("وقال المتحدث باسم طالبان، ذبيح الله مجاهد، إن الحركة ستشارك في المحادثات.",
         [("ORG", "طالبان"), ("PER", "ذبيح الله مجاهد")], "المتحدث باسم طالبان، ذبيح الله مجاهد", "named_person"),
    ]
    for text, ents, source, kind in cases:
        claims, _ = extract(make_doc(text, ents))
        assert claims, text
        assert (source, kind) == chain(claims[0])[-1], text


def test_report_of_an_outlet_and_a_body_named_before():
    doc = make_doc("وبحسب تحليل لصحيفة نيويورك تايمز، فإن الضربات لم تحقق أهدافها.", [("ORG", "نيويورك تايمز")])
    (claim,), _ = extract(doc)
    assert chain(claim) == [("صحيفة نيويورك تايمز", "named_outlet")]

    doc = make_doc("وأعلنت وزارة الخارجية العراقية استدعاء السفير. وقالت الوزارة في بيان إن الوفد سيصل غدا.",
                   [("ORG", "وزارة الخارجية العراقية")])
    claims, _ = extract(doc)
    assert [chain(c) for c in claims][-1] == [("الوزارة", "named_org")]
    assert claims[-1].sources[0].entity == "e1"


def test_title_phrase_then_its_holder_is_a_named_person():
    doc = make_doc("وشدد السفير الفلسطيني لدى المنظمة الدولية رياض منصور على أن الحل سياسي.", [("PER", "رياض منصور")])
    (claim,), _ = extract(doc)
    assert chain(claim) == [("السفير الفلسطيني لدى المنظمة الدولية رياض منصور", "named_person")]
