"""Tiny random-weight translation models for the translate tests, built once
per test session from the opus-mt-ar-en tokenizer and configuration
(Marian; the real one from ../shared, else a tiny one built here) and from
a sentencepiece model trained here (NLLB-style M2M100).
Random weights give garbage English: tests assert structure and behaviour.

Test modules import the fixtures from here:
``from tests.translate_fixtures import tiny_marian, tiny_nllb, make_article``.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import marian_tokenizer_source
from toolkit.records import Article, Sentence

# Hand-written Arabic news-style sentences (not taken from any source).
ARABIC = [
    "وصل الرئيس إلى العاصمة صباح اليوم في زيارة رسمية تستمر يومين.",
    "وقع الطرفان اتفاقية للتعاون الاقتصادي والعسكري.",
    "قال المتحدث إن المحادثات كانت مثمرة وبناءة.",
    "بلغ عدد الزوار ١٢٣ زائرا في اليوم الأول من المعرض.",
    "وأكد الوزير أن الحكومة ستواصل دعم المشاريع الصغيرة.",
    "التقى كيم جونغ أون الرئيس الروسي في بيونغ يانغ.",
    "ارتفعت الأسعار بنسبة 3.5 في المئة خلال عام 2024.",
    "زيارة تاريخية",
]
ENGLISH = [
    "The president arrived in the capital this morning on a two-day official visit.",
    "The two sides signed an agreement on economic and military cooperation.",
    "The spokesman said the talks were fruitful and constructive.",
    "The number of visitors reached 123 on the first day of the exhibition.",
]

# Small enough that building, converting and decoding stay well under a
# second each on one CPU core.
TINY = dict(d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
            decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32)


def _eos_bias(model, eos_id: int, value: float) -> None:
    """Raise the end-of-sentence logit so that some random-weight outputs end
    on their own and others run to the output budget: both paths get used."""
    import torch

    with torch.no_grad():
        model.final_logits_bias[0, eos_id] = value


def build_tiny_marian(out: Path) -> Path:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    src = marian_tokenizer_source()
    torch.manual_seed(1234)
    cfg = MarianConfig.from_pretrained(str(src))
    for key, value in TINY.items():
        setattr(cfg, key, value)
    cfg.num_hidden_layers = TINY["encoder_layers"]
    # Larger than the default 0.02 so that outputs depend on the input.
    cfg.init_std = 0.3
    model = MarianMTModel(cfg).eval()
    _eos_bias(model, cfg.eos_token_id, 5.0)
    model.save_pretrained(str(out))
    MarianTokenizer.from_pretrained(str(src)).save_pretrained(str(out))
    return out


def build_tiny_nllb(out: Path, languages: tuple[str, ...] = ("arb_Arab", "eng_Latn"),
                    texts: tuple[str, ...] = ()) -> Path:
    """An NLLB-style model whose vocabulary has the language codes
    `languages` (and pieces of `texts` besides the Arabic and English)."""
    import sentencepiece as spm
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    spm_dir = out.parent / (out.name + "-spm")
    spm_dir.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter((ARABIC + ENGLISH + list(texts)) * 10), model_writer=buf, vocab_size=300,
        model_type="bpe", character_coverage=1.0, bos_id=0, pad_id=1, eos_id=2, unk_id=3,
        user_defined_symbols=list(languages), minloglevel=2)
    (spm_dir / "sentencepiece.bpe.model").write_bytes(buf.getvalue())
    tok = NllbTokenizer.from_pretrained(str(spm_dir), src_lang="arb_Arab", tgt_lang="eng_Latn")
    tok.save_pretrained(str(out))
    torch.manual_seed(4321)
    cfg = M2M100Config(
        vocab_size=len(tok), max_position_embeddings=256, pad_token_id=tok.pad_token_id,
        bos_token_id=0, eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.eos_token_id,
        scale_embedding=True, **TINY)
    model = M2M100ForConditionalGeneration(cfg).eval()
    model.save_pretrained(str(out))
    return out


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory) -> Path:
    return build_tiny_marian(tmp_path_factory.mktemp("models") / "tiny-marian")


@pytest.fixture(scope="session")
def tiny_nllb(tmp_path_factory) -> Path:
    return build_tiny_nllb(tmp_path_factory.mktemp("models") / "tiny-nllb")


def make_article(number: int, texts: list[str], *, source: str | None = None,
                 headings: tuple[int, ...] = (), parts: dict[int, int] | None = None) -> Article:
    """An Article built by hand: sentence i (1-based) is a heading when i is
    in `headings`; `parts` cuts sentence i's text into that many pieces with
    IDs A.S.P, as the segmenter does for over-long sentences."""
    sentences = []
    text = ""
    para = 0
    for i, t in enumerate(texts, 1):
        if text:
            text += "\n"
        para += 1
        kind = "heading" if i in headings else "sentence"
        n = (parts or {}).get(i, 0)
        if n:
            words = t.split(" ")
            size = -(-len(words) // n)
            chunks = [" ".join(words[k:k + size]) for k in range(0, len(words), size)]
            for p, chunk in enumerate(chunks, 1):
                start = len(text)
                text += chunk if p == 1 else " " + chunk
                start = start if p == 1 else start + 1
                sentences.append(Sentence(f"{number}.{i}.{p}", number, i, chunk, start, len(text),
                                          kind, para, p))
        else:
            start = len(text)
            text += t
            sentences.append(Sentence(f"{number}.{i}", number, i, t, start, len(text), kind, para))
    return Article(number, source or f"article{number}.txt", text, tuple(sentences))
