"""Neural NER: a tiny model trained here exercises export, loading and decoding;
the shipped model (when present) must tag a plain news sentence sensibly."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from marsad.nlp.ner.conll import read_conll
from marsad.nlp.ner.neural import RESOURCE_FILES, NeuralNerTagger, has_model, viterbi, viterbi_batch
from marsad.nlp.ner.tagger import resource_dir

SENTENCE = "وقال الرئيس الأمريكي باراك أوباما في واشنطن إن الأمم المتحدة ستجتمع".split()
TINY_DATA = [
    ("التقى محمد بن سلمان في الرياض".split(), ["O", "B-PER", "I-PER", "I-PER", "O", "B-LOC"]),
    ("وزار وفد الأمم المتحدة بغداد".split(), ["O", "O", "B-ORG", "I-ORG", "B-LOC"]),
] * 4
TINY_WORDS = ["<pad>", "<unk>", "محمد", "الرياض", "بغداد"]


def _tiny_vectors() -> np.ndarray:
    return np.random.default_rng(0).normal(size=(len(TINY_WORDS), 8)).astype(np.float32)


def _with_tables(folder):
    """``folder``, created if need be, holding the feature tables a tagger reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in RESOURCE_FILES:
        shutil.copy(resource_dir() / name, folder / name)
    return folder


def test_viterbi_follows_transitions():
    em = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 1.0]], np.float32)
    trans = np.array([[0.0, -5.0], [0.0, 0.0]], np.float32)  # 0 -> 1 is expensive
    zero = np.zeros(2, np.float32)
    assert viterbi(em, trans, zero, zero) == [0, 0, 0]
    assert viterbi(em, np.zeros((2, 2), np.float32), zero, zero) == [0, 1, 1]


def test_batched_viterbi_decodes_each_sentence_within_its_length():
    rng = np.random.default_rng(0)
    trans, start, end = (rng.normal(size=shape).astype(np.float32) for shape in ((5, 5), 5, 5))
    lengths = np.array([7, 1, 4, 7])
    em = rng.normal(size=(4, 7, 5)).astype(np.float32)
    em[2, 4:] = 100.0  # padding must not pull the path
    paths = viterbi_batch(em, lengths, trans, start, end)
    assert [len(p) for p in paths] == [7, 1, 4, 7]
    assert paths == [viterbi(em[k, :n], trans, start, end) for k, n in enumerate(lengths)]


def test_tiny_model_round_trip(tmp_path):
    pytest.importorskip("torch")
    from marsad.nlp.ner.neural.train import TAGS, fit

    _with_tables(tmp_path)
    data, words, matrix = TINY_DATA, TINY_WORDS, _tiny_vectors()
    report = fit(data, data[:2], words, matrix, tmp_path, epochs=2, char_filters=8, feat_dim=8, hidden=8, char_dim=8,
                 word_dropout=0.3, average_from=1)
    assert len(report["epochs"]) == 2
    tagger = NeuralNerTagger(tmp_path)
    tags = tagger.tag_many([s for s, _ in data[:2]] + [[]])
    assert [len(t) for t in tags] == [6, 5, 0]
    assert all(t in TAGS for t in tags[0])
    # Batching must not change a sentence's tags (padding never reaches real positions).
    assert tagger.tag(data[1][0]) == tags[1]


@pytest.mark.skipif(not has_model(), reason="no shipped neural NER model")
def test_shipped_model_tags_a_news_sentence():
    tags = NeuralNerTagger().tag(SENTENCE)
    assert tags[3:5] == ["B-PER", "I-PER"]
    assert tags[6] == "B-LOC"
    assert tags[8:10] == ["B-ORG", "I-ORG"]


@pytest.mark.skipif(not has_model(), reason="no shipped neural NER model")
def test_batched_tagging_gives_each_sentence_its_own_tags(shared):
    """Sentences of many lengths and longest words, tagged in batches, as when tagged alone."""
    sentences = [words for words, _ in read_conll(shared / "data/ner/anercorp/ANERCorp_CamelLab_test.txt")[:300]]
    sentences += [SENTENCE, SENTENCE[:3], []]
    tagger = NeuralNerTagger()
    batched = tagger.tag_many(sentences)
    assert batched == [tagger.tag(s) if s else [] for s in sentences]
    assert sum(t != "O" for tags in batched for t in tags) > 300


_TREC = """<DOC>
<DOCNO>T-1</DOCNO>
<TITLE>وزير الخارجية التركي يزور الدوحة</TITLE>
<TEXT>
وصل وزير الخارجية التركي مولود جاويش أوغلو إلى الدوحة مساء الأحد، في زيارة تستمر يومين.
وقال جاويش أوغلو للصحفيين إن بلاده تدعم الحوار. وأضاف: "نحن هنا لنستمع".
</TEXT>
</DOC>
"""


@pytest.mark.skipif(not has_model(), reason="no shipped neural NER model")
def test_silver_articles_are_tokenized_like_anercorp_and_labelled_consistently(tmp_path):
    from marsad.nlp.ner.neural import pseudo

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "t1.txt").write_text(_TREC, encoding="utf-8")
    (tmp_path / "a" / "t2.txt").write_text(_TREC.replace("T-1", "T-2").replace("الدوحة", "أنقرة"), encoding="utf-8")
    docs = pseudo.sample(tmp_path, 5, seed=0)
    assert len(docs) == 2
    first = docs[0]
    # Punctuation stands alone, as in ANERcorp; the title is the first sentence.
    assert first[0] == "وزير الخارجية التركي يزور الدوحة".split() or first[0][-1] == "أنقرة"
    assert ["،", "في"] == first[1][first[1].index("،") : first[1].index("،") + 2]
    silver = pseudo.label(NeuralNerTagger(), docs[:1])
    assert [w for w, _ in silver] == first
    # The minister's name is a person wherever it recurs in the article.
    name_tags = [tags[words.index("جاويش") : words.index("جاويش") + 2] for words, tags in silver if "جاويش" in words]
    assert len(name_tags) == 2 and all(t.endswith("-PER") for tags in name_tags for t in tags)


def test_ensemble_averages_its_members_and_stores_shared_weights_once(tmp_path):
    pytest.importorskip("torch")
    onnx = pytest.importorskip("onnx")
    import json

    import onnxruntime as ort

    from marsad.nlp.ner.neural import pad_batch
    from marsad.nlp.ner.neural.ensemble import combine
    from marsad.nlp.ner.neural.train import fit

    data, words, matrix = TINY_DATA, TINY_WORDS, _tiny_vectors()
    members = []
    for seed in (0, 1):
        folder = _with_tables(tmp_path / f"m{seed}")
        fit(data, [], words, matrix, folder, seed=seed, epochs=1, char_filters=8, feat_dim=8, hidden=8, char_dim=8)
        members.append(folder)
    merged = _with_tables(tmp_path / "merged")
    combine(members, merged)

    tagger = NeuralNerTagger(merged)
    inputs = pad_batch([tagger.encoder.encode(s) for s, _ in data[:1]])
    run = lambda folder: ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"]).run(None, inputs)[0]
    assert np.allclose(run(merged), (run(members[0]) + run(members[1])) / 2, atol=1e-5)
    metas = [json.loads((f / "meta.json").read_text(encoding="utf-8")) for f in (*members, merged)]
    assert np.allclose(metas[2]["transitions"], (np.array(metas[0]["transitions"]) + metas[1]["transitions"]) / 2)
    assert metas[0]["transitions"] != metas[1]["transitions"]  # two different networks
    # The frozen word vectors are one initializer; each member keeps its own trained weights.
    graph = onnx.load(str(merged / "model.onnx")).graph
    names = [i.name for i in graph.initializer]
    assert sum(n.endswith("words.weight") for n in names) == 1 and sum(n.endswith("chars.weight") for n in names) == 2
    # ... and the lookup that reads only them is computed once.
    vectors = next(n for n in names if n.endswith("words.weight"))
    assert sum(vectors in node.input for node in graph.node) == 1
    assert len(tagger.tag(data[0][0])) == 6

    # Weights stored in half precision: a smaller file, nearly the same emissions, a float graph still.
    halved = _with_tables(tmp_path / "halved")
    combine(members, halved)
    size = (halved / "model.onnx").stat().st_size
    from marsad.nlp.ner.neural.ensemble import store_half

    saved = store_half(halved / "model.onnx", min_size=64)
    assert saved > 0 and (halved / "model.onnx").stat().st_size < size - saved // 2
    assert not np.array_equal(run(halved), run(merged)) and np.allclose(run(halved), run(merged), atol=1e-2)

    # Each member taken out again, from the half-precision graph: its own CRF, emissions as it gave them
    # on its rounded weights, and merged again into the same tagger.
    from marsad.nlp.ner.neural.ensemble import parts

    assert json.loads((halved / "meta.json").read_text(encoding="utf-8"))["member_crfs"][1]["end"] == metas[1]["end"]
    taken = parts(halved, tmp_path / "parts")
    assert len(taken) == 2
    for part, member in zip(taken, members):
        own = json.loads((part / "meta.json").read_text(encoding="utf-8"))
        assert own["transitions"] == json.loads((member / "meta.json").read_text(encoding="utf-8"))["transitions"]
        assert np.allclose(run(part), run(member), atol=1e-2)
    again = _with_tables(tmp_path / "again")
    combine(taken, again)
    assert np.array_equal(run(again), run(halved))
    meta = json.loads((again / "meta.json").read_text(encoding="utf-8"))
    del meta["member_crfs"]
    (again / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="CRFs"):
        parts(again, tmp_path / "parts2")

    meta = json.loads((members[1] / "meta.json").read_text(encoding="utf-8"))
    (members[1] / "meta.json").write_text(json.dumps({**meta, "feats": meta["feats"][:-1]}), encoding="utf-8")
    with pytest.raises(ValueError, match="feats"):
        combine(members, tmp_path / "bad")


def test_frozen_parts_read_back_from_a_merged_tagger_are_the_ones_its_networks_read(tmp_path):
    """Two networks on one word-level language model, one of them also on a character model, merged
    and stored in half precision: the read-back word list, matrix and language models are theirs
    (to half precision), shared ones come back once, and a network fitted on them reads the same
    language model as the one it came from."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    from marsad.nlp.ner.neural import charlm, ensemble, frozen
    from marsad.nlp.ner.neural.embeddings import load as load_vectors
    from marsad.nlp.ner.neural.model import BiLM, CharLM
    from marsad.nlp.ner.neural.train import fit

    torch.manual_seed(0)
    word_lm = BiLM(8, 16, 5).state_dict()
    chars = ["<pad>", "<unk>", " "] + sorted(set("".join(TINY_WORDS[2:])))
    char_lm = {**CharLM(len(chars), charlm.DIM, 16).state_dict(), "chars": chars}
    data, words, matrix = TINY_DATA, TINY_WORDS, _tiny_vectors()
    small = dict(epochs=1, char_filters=8, feat_dim=8, hidden=8, char_dim=8, char_lm_dim=8)
    members = [_with_tables(tmp_path / f"m{k}") for k in range(2)]
    fit(data, [], words, matrix, members[0], seed=0, lm=word_lm, **small)
    fit(data, [], words, matrix, members[1], seed=1, lm=word_lm, char_lm=char_lm, **small)
    merged = _with_tables(tmp_path / "merged")
    ensemble.combine(members, merged)
    ensemble.store_half(merged / "model.onnx", min_size=64)

    manifest = frozen.read_back(merged, tmp_path / "frozen")
    assert len(manifest["language_models"]) == 1 and len(manifest["char_lms"]) == 1
    assert [m["lm"] for m in manifest["members"]] == manifest["language_models"] * 2
    assert [m["char_lm"] for m in manifest["members"]] == [None, manifest["char_lms"][0]]
    vocab, vectors = load_vectors(manifest["vectors"])
    assert vocab == words[2:] and np.allclose(vectors, matrix[2:], atol=1e-2)
    for path, original in ((manifest["language_models"][0], word_lm), (manifest["char_lms"][0], char_lm)):
        back = torch.load(path)
        for key, value in original.items():
            if key == "chars":
                assert back[key] == value
            elif not key.startswith(("next", "previous")):
                assert back[key].shape == value.shape and torch.allclose(back[key], value, atol=1e-2), key
    # The read-back models load as the network's own do, and give nearly the same states.
    back = torch.load(manifest["language_models"][0])
    again = BiLM(8, 16, back["next.weight"].shape[0])
    again.load_state_dict(back)
    original = BiLM(8, 16, 5)
    original.load_state_dict(word_lm)
    x, lengths = torch.from_numpy(matrix[None, 1:]), torch.tensor([len(words) - 1])
    with torch.no_grad():
        assert torch.allclose(again.states(x, lengths), original.states(x, lengths), atol=1e-2)
    refit = _with_tables(tmp_path / "refit")
    fit(data, [], words, matrix, refit, seed=1, lm=back, char_lm=torch.load(manifest["char_lms"][0]), **small)
    assert len(NeuralNerTagger(refit).tag(data[0][0])) == 6


def test_vocabulary_gives_words_unseen_in_training_their_rotated_corpus_vectors(tmp_path):
    pytest.importorskip("torch")
    onnx = pytest.importorskip("onnx")
    from onnx import numpy_helper

    from marsad.nlp.ner.neural.train import fit
    from marsad.nlp.ner.neural.vocabulary import extend

    known = ["محمد", "الرياض", "بغداد", "التقى", "في", "وفد", "الأمم", "المتحدة", "بن", "سلمان"]
    words = ["<pad>", "<unk>", *known]
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(len(words), 4)).astype(np.float32)
    folder = _with_tables(tmp_path / "tagger")
    fit(TINY_DATA, [], words, matrix, folder, epochs=1, char_filters=8, feat_dim=8, hidden=8, char_dim=8)
    tagger = NeuralNerTagger(folder)
    before = tagger.tag_many([s for s, _ in TINY_DATA[:2]])
    assert tagger.encoder.encode(["طهران"])[0] == [1]  # unknown

    # Another word2vec run: the same space turned by some rotation, plus words the tagger lacks.
    turn, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    unseen = rng.normal(size=(2, 4)).astype(np.float32)
    corpus = ["في", "طهران", *known[:3], "الخرطوم", *known[3:]]
    own = {w: matrix[i] for i, w in enumerate(words)}
    vectors = np.array([own[w] if w in own else unseen[("طهران", "الخرطوم").index(w)] for w in corpus]) @ turn.T
    report = extend(folder, corpus, vectors.astype(np.float32))
    assert report == {"words_before": 12, "words_added": 2, "alignment_cosine": pytest.approx(1.0, abs=1e-4)}

    grown = NeuralNerTagger(folder)
    ids = grown.encoder.encode(["طهران", "الخرطوم", "بغداد"])[0]
    assert ids == [12, 13, 4]
    table = next(numpy_helper.to_array(t) for t in onnx.load(str(folder / "model.onnx")).graph.initializer if t.dims[0] == 14)
    # Turned back into the tagger's space, and stored in half precision.
    assert table.dtype == np.float16 and np.allclose(table[12:], unseen, atol=5e-3)
    assert np.array_equal(table[:12], matrix.astype(np.float16))
    assert grown.tag_many([s for s, _ in TINY_DATA[:2]]) == before
    # Extending again adds nothing and widens the lookups once.
    assert extend(folder, corpus, vectors.astype(np.float32))["words_added"] == 0
    assert NeuralNerTagger(folder).tag_many([s for s, _ in TINY_DATA[:2]]) == before


def test_language_model_learns_news_and_feeds_a_tagger_frozen(tmp_path):
    """A tiny BiLM trained on our article predicts its word classes better than an untrained
    one, and a tagger built on it exports to ONNX without changing the LM's weights."""
    torch = pytest.importorskip("torch")
    from marsad.nlp.ner.neural import lm
    from marsad.nlp.ner.neural.embeddings import stem_of
    from marsad.nlp.ner.neural.model import BiLM
    from marsad.nlp.ner.neural.train import fit
    from marsad.text.normalize import fold

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "t1.txt").write_text(_TREC, encoding="utf-8")
    sentences = lm.corpus_sentences(corpus)
    forms = sorted({fold(w) or w for s in sentences for w in s})
    words = ["<pad>", "<unk>"] + sorted({stem_of(f) for f in forms})
    matrix = np.random.default_rng(0).normal(size=(len(words), 8)).astype(np.float32)
    clusters = {f: i % 7 for i, f in enumerate(forms)}
    passes = lm.pretrain(corpus, words, matrix, clusters, hidden=16, epochs=400, threads=1)
    state = passes[-1]
    # One state per pass; a shorter run gives the states of the longer one's first passes.
    assert len(passes) == 400
    first = lm.pretrain(corpus, words, matrix, clusters, hidden=16, epochs=1, threads=1)
    assert len(first) == 1 and all(torch.equal(first[0][k], v) for k, v in passes[0].items())
    assert not all(torch.equal(passes[0][k], v) for k, v in state.items())

    data = lm.encode(sentences, words, clusters)
    ids, lengths, classes = lm.batch(data, list(range(len(data))))
    # Every word is found (as its stem) and has a cluster (by its folded form).
    assert int((ids == 1).sum()) == 0 and int((classes == lm.RARE).sum()) == 0
    x = torch.nn.Embedding.from_pretrained(torch.from_numpy(matrix))(ids)
    trained = BiLM(8, 16, lm.RARE + 1)
    trained.load_state_dict(state)
    torch.manual_seed(1)
    fresh = BiLM(8, 16, lm.RARE + 1)
    with torch.no_grad():
        assert trained.loss(x, lengths, classes) < fresh.loss(x, lengths, classes) / 2

    _with_tables(tmp_path)
    gold = [(s, ["O"] * len(s)) for s in sentences]
    before = {k: v.clone() for k, v in state.items()}
    fit(gold, gold[:1], words, matrix, tmp_path, epochs=2, char_filters=8, feat_dim=8, hidden=8, char_dim=8, lm=state)
    assert all(torch.equal(before[k], v) for k, v in state.items())
    tagger = NeuralNerTagger(tmp_path)
    assert [len(t) for t in tagger.tag_many(sentences)] == [len(s) for s in sentences]


def test_character_model_learns_news_and_gives_a_tagger_each_words_spelling_in_context(tmp_path):
    """A tiny character model trained on our article predicts its characters better than an untrained
    one; a tagger reading it exports to ONNX with the same emissions as torch, a sentence's emissions
    do not depend on its batch, and the merged graph of two such taggers still reads the text."""
    torch = pytest.importorskip("torch")
    from marsad.nlp.ner.neural import charlm, ensemble, pad_batch
    from marsad.nlp.ner.neural.model import CRF, CharLM, Emitter
    from marsad.nlp.ner.neural.train import TAGS, export, fit

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "t1.txt").write_text(_TREC, encoding="utf-8")
    state = charlm.pretrain(corpus, threads=1, hidden=16, epochs=300, min_count=1)
    chars = state["chars"]
    assert chars[: charlm.BOUNDARY + 1] == ["<pad>", "<unk>", " "]
    from marsad.nlp.ner.neural.lm import corpus_sentences

    sentences = corpus_sentences(corpus)
    text = charlm.CharText(chars)
    ids, starts, ends = text.sentence(["وزير", "الخارجية"])
    # Boundaries stand before, between and after the words; folding takes the hamza off (أ → ا).
    assert [ids[i] for i in (0, 5, 14)] == [charlm.BOUNDARY] * 3 and starts == [0, 5] and ends == [5, 14]
    assert text.word("أوغلو") == text.word("اوغلو")
    batch = charlm.pad_text([text.sentence(s) for s in sentences], max(map(len, sentences)))
    weights = {k: v for k, v in state.items() if k != "chars"}
    trained = CharLM(len(chars), charlm.DIM, 16)
    trained.load_state_dict(weights)
    torch.manual_seed(1)
    fresh = CharLM(len(chars), charlm.DIM, 16)
    with torch.no_grad():
        args = (torch.from_numpy(batch["text"]), torch.from_numpy(batch["text_lengths"]))
        assert trained.loss(*args) < fresh.loss(*args) / 2

    gold = [(s, ["O"] * len(s)) for s in sentences]
    words, matrix = TINY_WORDS, _tiny_vectors()
    small = dict(char_filters=8, feat_dim=8, hidden=8, char_dim=8, char_lm_dim=8)
    folders = [_with_tables(tmp_path / f"net{seed}") for seed in (0, 1)]
    for seed, folder in enumerate(folders):
        fit(gold, gold[:1], words, matrix, folder, seed=seed, epochs=2, char_lm=state, **small)
    assert all(torch.equal(weights[k], v) for k, v in state.items() if k != "chars")
    tagger = NeuralNerTagger(folders[0])
    assert tagger.encoder.char_text is not None
    together = tagger.emissions_many(sentences)
    alone = [tagger.emissions_many([s])[0] for s in sentences]
    assert all(np.allclose(a, b, atol=1e-5) for a, b in zip(together, alone))

    # The exported graph gives what the torch network gives.
    emitter = Emitter(torch.from_numpy(matrix), len(tagger.encoder.chars), len(tagger.encoder.feats), len(TAGS),
                      char_lm=state, **small)
    exported = _with_tables(tmp_path / "exported")
    export(emitter, CRF(len(TAGS)), exported, words, list(tagger.encoder.chars), list(tagger.encoder.feats), torch, chars)
    theirs = NeuralNerTagger(exported).emissions_many(sentences)
    with torch.no_grad():
        for sentence, their in zip(sentences, theirs):
            inputs = pad_batch([tagger.encoder.encode(sentence)])
            mine = emitter(**{k: torch.from_numpy(v) for k, v in inputs.items()}).numpy()[0]
            assert np.allclose(mine, their, atol=1e-5)

    merged = tmp_path / "merged"
    _with_tables(merged)
    ensemble.combine(folders, merged)
    second = NeuralNerTagger(folders[1]).emissions_many(sentences)
    both = NeuralNerTagger(merged).emissions_many(sentences)
    assert all(np.allclose(m, (a + b) / 2, atol=1e-5) for m, a, b in zip(both, together, second))

    # A network without the character model merges with one that reads it: it ignores the text.
    plain = _with_tables(tmp_path / "plain")
    fit(gold, gold[:1], words, matrix, plain, epochs=2, **{k: v for k, v in small.items() if k != "char_lm_dim"})
    mixed = _with_tables(tmp_path / "mixed")
    ensemble.combine([plain, folders[0]], mixed)
    alone = NeuralNerTagger(plain).emissions_many(sentences)
    assert NeuralNerTagger(plain).encoder.char_text is None and NeuralNerTagger(mixed).encoder.char_text is not None
    both = NeuralNerTagger(mixed).emissions_many(sentences)
    assert all(np.allclose(m, (a + b) / 2, atol=1e-5) for m, a, b in zip(both, alone, together))


def test_character_model_reads_the_neighbouring_sentences_of_the_same_document(tmp_path, monkeypatch):
    """With ``char_context``, the character model's text holds whole words of the sentences before and
    after, within the limit; a network fitted so exports it, its emissions for a sentence depend on
    its neighbours but not on another document's, and the pipeline tags each article's sentences
    between their own neighbours."""
    torch = pytest.importorskip("torch")
    import marsad.nlp.ner as ner_module
    from marsad.model import Document, Sentence, Token
    from marsad.nlp.ner import mentions
    from marsad.text.normalize import fold
    from marsad.nlp.ner.neural import charlm
    from marsad.nlp.ner.neural.model import CharLM
    from marsad.nlp.ner.neural.train import fit

    chars = ["<pad>", "<unk>", " "] + sorted(set("".join(w for s, _ in TINY_DATA for w in s)))
    text = charlm.CharText(chars)
    plain = text.sentence(["زار", "بغداد"])
    ids, starts, ends = text.sentence(["زار", "بغداد"], ["التقى", "محمد"], ["في", "الرياض"], context=9)
    # "محمد" (4 + a boundary) fits in 9 symbols before, "التقى" no longer; "في" and "الرياض" do not both fit after.
    assert ids[: len(text.word("محمد")) + 1] == [charlm.BOUNDARY, *text.word("محمد")]
    assert ids[starts[0] : ends[-1] + 1] == plain[0] and ids[ends[-1] :] == [charlm.BOUNDARY, *text.word("في"), charlm.BOUNDARY]
    assert [e - s for s, e in zip(starts, ends)] == [e - s for s, e in zip(plain[1], plain[2])]

    torch.manual_seed(0)
    state = {**CharLM(len(chars), charlm.DIM, 16).state_dict(), "chars": chars}
    folder = _with_tables(tmp_path / "net")
    fit(TINY_DATA, [], TINY_WORDS, _tiny_vectors(), folder, epochs=1, char_lm=state, char_context=40,
        char_filters=8, feat_dim=8, hidden=8, char_dim=8, char_lm_dim=8)
    tagger = NeuralNerTagger(folder)
    assert tagger.encoder.char_context == 40
    first, second, other = (s for s, _ in TINY_DATA[:3])
    with_neighbour = tagger.emissions_many([first, second])
    alone = tagger.emissions_many([first]) + tagger.emissions_many([second])
    assert not np.allclose(with_neighbour[1], alone[1], atol=1e-6)
    apart = tagger.emissions_many([first, second, other], documents=[0, 1, 1])
    assert np.allclose(apart[0], alone[0], atol=1e-5)
    assert np.allclose(apart[1], tagger.emissions_many([second, other])[0], atol=1e-5)

    def article(sentences):
        body, rows = "", []
        for words in sentences:
            row = []
            for w in words:
                row.append(Token(len(body), len(body) + len(w), w, fold(w), stem=fold(w)))
                body += w + " "
            rows.append(Sentence(row[0].start, row[-1].end, tokens=row))
        return Document(id="d", path="d", text=body, sentences=rows)

    calls = []
    tag_many = tagger.tag_many
    monkeypatch.setattr(tagger, "tag_many", lambda sentences, **kw: calls.append((sentences, kw)) or tag_many(sentences, **kw))
    monkeypatch.setattr(ner_module, "default_tagger", lambda kind: tagger)
    component = ner_module.create()
    docs = [article([first, second]), article([other, second])]
    component.prepare(docs)
    # The same sentence in two articles is tagged twice, each time between its own neighbours.
    assert calls == [([first, second, other, second], {"documents": [0, 0, 1, 1]})]
    for doc in docs:
        words = [[t.text for t in s.tokens] for s in doc.sentences]
        expected = [m for s, tags in zip(doc.sentences, tag_many(words)) for m in mentions(doc.text, s.tokens, tags, tagger)]
        assert component(doc).mentions == expected
    assert len(calls) == 1


def test_running_mean_of_network_states():
    torch = pytest.importorskip("torch")
    from marsad.nlp.ner.neural.train import _running_mean

    states = [({"w": torch.tensor([float(i), 2.0 * i]), "n": torch.tensor(i)}, {"t": torch.tensor([10.0 * i])}) for i in (1, 2, 6)]
    mean = None
    for n, state in enumerate(states, 1):
        mean = _running_mean(mean, state, n)
    assert torch.allclose(mean[0]["w"], torch.tensor([3.0, 6.0])) and torch.allclose(mean[1]["t"], torch.tensor([30.0]))
    assert int(mean[0]["n"]) == 6  # counters are not averaged: the latest is kept


def _tiny_teacher(folder):
    from marsad.nlp.ner.neural.train import fit

    _with_tables(folder)
    fit(TINY_DATA, [], TINY_WORDS, _tiny_vectors(), folder, epochs=3, char_filters=8, feat_dim=8, hidden=8, char_dim=8)
    return folder


# Sentences the fast student meets: with a padded longest word, a name-list phrase and an unknown word.
FAST_SENTENCES = [s for s, _ in TINY_DATA[:2]] + [
    "وقال الأمين العام للأمم المتحدة أنطونيو غوتيريش في نيويورك".split(),
    "بغداد".split(),
    [],
]


def test_fast_tagger_runs_the_exported_student_as_torch_does(tmp_path, monkeypatch):
    torch = pytest.importorskip("torch")
    onnx = pytest.importorskip("onnx")
    from marsad.nlp.ner.neural import fast as fast_module
    from marsad.nlp.ner.neural.distill import _inputs, _pad, export
    from marsad.nlp.ner.neural.fast import FastNerTagger, phrase_features, word_matrix
    from marsad.nlp.ner.neural.model import FastEmitter

    teacher = _tiny_teacher(tmp_path / "teacher")
    words, matrix = word_matrix(teacher)
    encoder = NeuralNerTagger(teacher).encoder
    phrases = phrase_features(list(encoder.feats))
    torch.manual_seed(0)
    student = FastEmitter(torch.from_numpy(matrix), len(encoder.chars), len(encoder.feats), len(phrases) + 1, 9,
                          char_dim=8, char_filters=8, feat_dim=8, width=16, dilations=(1, 2))
    export(student, tmp_path / "fast", teacher, phrases, torch)
    fast = FastNerTagger(tmp_path / "fast")
    got = fast.emissions_many(FAST_SENTENCES)
    student.eval()
    with torch.no_grad():
        want = student(**_pad(_inputs(encoder, FAST_SENTENCES[:-1]), torch)).numpy()
    for k, s in enumerate(FAST_SENTENCES[:-1]):
        assert np.allclose(got[k], want[k, : len(s)], atol=1e-4)
    assert got[-1].shape == (0, 9)
    # Each sentence gets alone what it gets in a batch, and again once its words are known.
    assert [fast.tag(s) for s in FAST_SENTENCES] == fast.tag_many(FAST_SENTENCES) == fast.tag_many(FAST_SENTENCES)
    # Packed a few words per run of the graph, sentences get the same emissions as packed all in one.
    monkeypatch.setattr(fast_module, "PACK", 3)
    for a, b in zip(got, fast.emissions_many(FAST_SENTENCES)):
        assert np.allclose(a, b, atol=1e-5)
    monkeypatch.undo()
    rows = fast._size
    fast.tag_many(FAST_SENTENCES[:2])
    assert fast._size == rows == 1 + len({w for s in FAST_SENTENCES for w in s})
    # The word matrix is stored as int8 rows with a scale each.
    stored = {i.name: i.data_type for i in onnx.load(str(tmp_path / "fast" / "student_types.onnx")).graph.initializer}
    assert sum(t == onnx.TensorProto.INT8 for t in stored.values()) == 1
    assert not any(t == onnx.TensorProto.FLOAT16 for t in stored.values())


def test_distilled_student_gives_its_teachers_emissions(tmp_path):
    pytest.importorskip("torch")
    from marsad.nlp.ner.neural import distill
    from marsad.nlp.ner.neural.fast import FastNerTagger

    teacher_folder = _tiny_teacher(tmp_path / "teacher")
    teacher = NeuralNerTagger(teacher_folder)
    silver = [s for s, _ in TINY_DATA[:2]] + FAST_SENTENCES[2:4]
    rows = list(zip(silver, teacher.emissions_many(silver)))
    args = dict(char_dim=8, char_filters=8, feat_dim=8, width=16, dilations=(1, 2), dropout=0.0, word_dropout=0.0)

    def distance(folder):
        centred = lambda e: e - e.mean(1, keepdims=True)
        pairs = zip(teacher.emissions_many(silver), FastNerTagger(folder).emissions_many(silver))
        return sum(float(((centred(a) - centred(b)) ** 2).sum()) for a, b in pairs)

    distill.fit(teacher, [], [], rows, tmp_path / "untrained", epochs=1, lr=0.0, **args)
    report = distill.fit(teacher, [], [], rows, tmp_path / "student", epochs=60, lr=0.01, **args)
    assert len(report["epochs"]) == 60 and report["silver_tokens"] == 21
    assert distance(tmp_path / "student") < 0.2 * distance(tmp_path / "untrained")


def _has_student() -> bool:
    from marsad.nlp.ner.neural.fast import has_model as has_student

    return has_student()


@pytest.mark.skipif(not _has_student(), reason="no shipped fast NER student")
def test_shipped_student_tags_news_and_serves_the_commands_and_pipeline(tmp_path, capsys):
    from marsad.cli import main
    from marsad.model import Document
    from marsad.nlp.ner import create
    from marsad.nlp.ner.neural.fast import FastNerTagger
    from marsad.text.sentences import split

    tags = FastNerTagger().tag(SENTENCE)
    assert tags[3:5] == ["B-PER", "I-PER"] and tags[6] == "B-LOC" and tags[8:10] == ["B-ORG", "I-ORG"]

    (tmp_path / "a.txt").write_text("قال O\nأوباما B-PER\nفي O\nواشنطن B-LOC\n", encoding="utf-8")
    assert main(["eval", "ner", "--tagger", "fast", "--test", str(tmp_path)]) == 0
    micro = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("micro")).split()
    assert float(micro[3]) == 100.0

    text = "وصل الرئيس العراقي إلى بغداد أمس، وقال الأمين العام للأمم المتحدة إن الوضع خطير."
    doc = Document(id="t", path="t", text=text)
    doc.sentences = split(text)
    found = {(m.text, m.type) for m in create(tagger="fast")(doc).mentions}
    assert ("بغداد", "LOC") in found and ("الأمم المتحدة", "ORG") in found


def test_unknown_tagger_kind_is_refused():
    from marsad.nlp.ner import default_tagger

    with pytest.raises(ValueError, match="accurate, fast, crf"):
        default_tagger("fastest")
