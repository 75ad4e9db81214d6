"""Tiny real models built at test time, so that the translation, embedding,
brief and doc-example paths run on a clone with no ../shared beside it.

* A Marian tokenizer directory in the layout of
  ../shared/models/opus-mt-ar-en-tokenizer (``source.spm``, ``target.spm``,
  ``vocab.json``, ``config.json``, ``generation_config.json``,
  ``tokenizer_config.json``), its sentencepiece models trained here.
* A two-layer BERT sentence-transformer (WordPiece vocabulary trained here,
  mean pooling, normalised) in a Hugging Face hub cache under the id of the
  toolkit's default embedder, so that the toolkit finds it exactly as it
  finds the real one: through ``HF_HUB_CACHE``.

The training text is what the repository ships (examples/, refs/) plus
strings generated from its words; weights are random, so outputs are
meaningless and tests built on these models assert structure only. Each
model is built once per test session, on first use (about a second)."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EMBEDDER_ID = "sentence-transformers/all-MiniLM-L6-v2"
# A fixed revision name, as a hub snapshot has: caches keyed on it stay
# valid across the runs of one session.
TINY_REVISION = "0" * 39 + "1"

# Where the session's tiny models are built; set by conftest's session
# fixture before any test runs.
_ROOT: list[Path] = []
_BUILT: dict[str, Path] = {}


def set_root(path: Path) -> None:
    _ROOT[:] = [path]
    _BUILT.clear()


def _root() -> Path:
    if not _ROOT:  # used outside a pytest session (e.g. a helper script)
        import tempfile

        _ROOT.append(Path(tempfile.mkdtemp(prefix="toolkit-tiny-models-")))
    return _ROOT[0]


def _is_arabic(line: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in line)


def shipped_lines() -> tuple[list[str], list[str]]:
    """(Arabic lines, English lines) of the text the repository ships as
    data, which changes rarely: the example articles, their English and the
    reference translations. The tiny models depend on it, so text that is
    edited often (docs, tests) stays out."""
    arabic, english = [], []
    paths = [*sorted((REPO / "examples").glob("*.txt")), *sorted((REPO / "examples" / "en").glob("*.txt")),
             *sorted((REPO / "refs").glob("*.txt"))]
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line:
                (arabic if _is_arabic(line) else english).append(line)
    # The translate tests' own sentences, so that the source side splits
    # them into words, as the real model's does.
    from tests.translate_fixtures import ARABIC, ENGLISH

    return arabic + ARABIC, english + ENGLISH


def _generated(lines: list[str], count: int, seed: int) -> list[str]:
    """`count` strings shuffled together from the words of `lines`, with
    digits and punctuation, so that the vocabulary does not fit one text."""
    rng = random.Random(seed)
    words = [w for line in lines for w in line.split()]
    extra = list("0123456789٠١٢٣٤٥٦٧٨٩.,;:!?()\"'-«»،؛؟%") + ["2024", "1,200", "3.5", "ABC"]
    out = []
    for _ in range(count):
        n = rng.randint(4, 14)
        out.append(" ".join(rng.choice(words) if rng.random() > 0.15 else rng.choice(extra) for _ in range(n)))
    return out


def training_text() -> tuple[list[str], list[str]]:
    arabic, english = shipped_lines()
    return arabic + _generated(arabic, 300, 1), english + _generated(english, 300, 2)


# -- Marian ------------------------------------------------------------------

# Size of the real opus-mt-ar-en vocabulary.
MARIAN_VOCAB = 62834
# Small enough that building, converting and decoding stay well under a
# second each on one CPU core; the translate fixtures shrink it further.
MARIAN_SHAPE = dict(d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                    decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32)


def _spm(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buf, vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, hard_vocab_limit=False, unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
        minloglevel=2)
    return buf.getvalue()


def build_marian_tokenizer(out: Path) -> Path:
    """A Marian tokenizer and configuration directory with the files of
    opus-mt-ar-en (no weights), its sentencepiece models trained here."""
    import sentencepiece as spm
    from transformers import GenerationConfig, MarianConfig

    out.mkdir(parents=True, exist_ok=True)
    arabic, english = training_text()
    pieces: list[str] = []
    # The target side also learns some Arabic, as the real one did from its
    # noisy training data: random weights then leave Arabic in some outputs,
    # which the toolkit must flag as untranslated.
    for name, lines, size in (("source.spm", arabic, 2000), ("target.spm", english + arabic[::4], 6000)):
        model = _spm(lines, size)
        (out / name).write_bytes(model)
        proc = spm.SentencePieceProcessor(model_proto=model)
        pieces += [proc.id_to_piece(i) for i in range(proc.get_piece_size())
                   if not (proc.is_unknown(i) or proc.is_control(i))]
    # Marian's layout: one vocabulary shared by both sides, end of sentence
    # first, padding (also the decoder's start token) last.
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    # Filled up to the real vocabulary's size with pieces the tokenizer never
    # produces: a random-weight decoder then behaves as it does over the real
    # vocabulary (how often the end of sentence wins depends on the number
    # of competing logits), whatever the training text. Two in three are
    # Arabic (the real vocabulary is shared by both languages), so random
    # outputs are often mostly Arabic, which the toolkit must flag as
    # untranslated.
    letters = ["abcdefghijklmnopqrstuvwxyz", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"]
    n = 0
    while len(vocab) < MARIAN_VOCAB - 1:
        alphabet = letters[1 if n % 3 else 0]
        k = n
        word = alphabet[k % len(alphabet)] + alphabet[k // len(alphabet) % len(alphabet)] + str(k // len(alphabet) ** 2)
        vocab.setdefault("\u2581" + word, len(vocab))
        n += 1
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    pad = vocab["<pad>"]
    cfg = MarianConfig(vocab_size=len(vocab), decoder_vocab_size=len(vocab), pad_token_id=pad,
                       decoder_start_token_id=pad, eos_token_id=0, bos_token_id=0, forced_eos_token_id=0,
                       max_position_embeddings=512, activation_function="swish", scale_embedding=True,
                       share_encoder_decoder_embeddings=True, static_position_embeddings=True,
                       num_hidden_layers=MARIAN_SHAPE["encoder_layers"], **MARIAN_SHAPE)
    cfg.architectures = ["MarianMTModel"]
    cfg.save_pretrained(str(out))
    GenerationConfig(bad_words_ids=[[pad]], bos_token_id=0, decoder_start_token_id=pad, eos_token_id=0,
                     forced_eos_token_id=0, max_length=512, num_beams=4, pad_token_id=pad,
                     renormalize_logits=True).save_pretrained(str(out))
    (out / "tokenizer_config.json").write_text('{"target_lang": "en", "source_lang": "ar"}', encoding="utf-8")
    return out


def tiny_marian_tokenizer() -> Path:
    if "marian" not in _BUILT:
        _BUILT["marian"] = build_marian_tokenizer(_root() / "opus-mt-ar-en-tokenizer")
    return _BUILT["marian"]


# -- sentence-transformer ----------------------------------------------------

def build_sentence_transformer(snapshot: Path) -> Path:
    """A two-layer BERT sentence-transformer (mean pooling, normalised) in
    `snapshot`, with a WordPiece vocabulary trained here.

    Position and segment embeddings are zero and word embeddings large, so
    that a sentence's vector is dominated by its words: sentences sharing
    words come out similar, which is all the brief needs to group and cite
    something."""
    import torch
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, BertTokenizerFast

    snapshot.mkdir(parents=True, exist_ok=True)
    arabic, english = training_text()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(english + arabic, trainers.WordPieceTrainer(vocab_size=2000, special_tokens=specials))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.decoder = decoders.WordPiece()
    fast = BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]",
                             cls_token="[CLS]", mask_token="[MASK]", do_lower_case=True, model_max_length=128)
    fast.save_pretrained(str(snapshot))

    torch.manual_seed(2718)
    cfg = BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128, pad_token_id=0,
                     position_embedding_type="absolute")
    cfg.architectures = ["BertModel"]
    model = BertModel(cfg, add_pooling_layer=False).eval()
    with torch.no_grad():
        model.embeddings.word_embeddings.weight.normal_(0.0, 1.0)
        model.embeddings.position_embeddings.weight.zero_()
        model.embeddings.token_type_embeddings.weight.zero_()
    model.save_pretrained(str(snapshot))

    write_sentence_transformer_modules(snapshot, cfg.hidden_size, 128)
    return snapshot


def write_sentence_transformer_modules(root: Path, dim: int, max_seq_length: int) -> None:
    """Make the transformers model saved in `root` a sentence-transformers
    model: Transformer, mean Pooling, Normalize, as all-MiniLM-L6-v2 is."""
    (root / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2), encoding="utf-8")
    (root / "1_Pooling").mkdir(exist_ok=True)
    (root / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": dim, "pooling_mode_mean_tokens": True}), encoding="utf-8")
    (root / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": max_seq_length, "do_lower_case": False}), encoding="utf-8")


def build_hub(hub: Path, model_id: str = EMBEDDER_ID) -> Path:
    """A Hugging Face hub cache at `hub` holding a tiny sentence-transformer
    under `model_id`, laid out as huggingface_hub lays out a download."""
    folder = hub / ("models--" + model_id.replace("/", "--"))
    build_sentence_transformer(folder / "snapshots" / TINY_REVISION)
    (folder / "refs").mkdir(parents=True, exist_ok=True)
    (folder / "refs" / "main").write_text(TINY_REVISION, encoding="utf-8")
    return hub


def tiny_hub() -> Path:
    """The session's hub cache with the tiny sentence-transformer. Read-only
    for tests: a test that writes into a hub builds its own."""
    if "hub" not in _BUILT:
        _BUILT["hub"] = build_hub(_root() / "hub")
    return _BUILT["hub"]


def tiny_snapshot() -> Path:
    return tiny_hub() / ("models--" + EMBEDDER_ID.replace("/", "--")) / "snapshots" / TINY_REVISION


def tiny_nlp() -> Path:
    """A spaCy pipeline directory with no trained component (a tokenizer
    only), built once per session: the fact layer reads no event, name or
    time from it, so a brief built on it rests on its other signals. Tests
    that need real parses use the real pipeline from ../shared."""
    out = _root() / "tiny-nlp"
    if not (out / "config.cfg").is_file():
        import spacy

        spacy.blank("en").to_disk(out)
    return out
