"""Train the WordPiece tokenizer on normalised Indonesian text (labelled training split + unlabelled sets).

The tokenizer sees text that `models.normalise` already lower-cased and masked, so it has no
normaliser of its own; it splits on whitespace and punctuation and adds [CLS] ... [SEP].
"""
from __future__ import annotations

import json
from pathlib import Path

from models.data import read_csv, read_text_file
from models.normalise import normalise

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def unlabelled_texts(root: Path) -> list[str]:
    """Raw unlabelled Indonesian text: 2024 and 2019 election tweets, IndoLEM tweets, IndoNLU
    sentences, informal customer-service tweets, Detik news and political blogs. Missing files
    are skipped."""
    texts: list[str] = []

    def add_csv(path: Path, column: str) -> None:
        if path.is_file():
            texts.extend(r.get(column) or "" for r in read_csv(path))

    for name in ("Anies Baswedan", "Ganjar Pranowo", "Prabowo Subianto"):
        add_csv(root / "pilpres2024-candidates-tweets" / f"{name}.csv", "Tweet")
    for name in ("Data Joko Widodo", "Data Prabowo Subianto"):
        add_csv(root / "pemilu2019-post-election-tweets" / f"{name}.csv", "text")
    add_csv(root / "pilpres2019-sentiment" / "tweet.csv", "tweet")
    add_csv(root / "indonlu" / "emot_emotion-twitter" / "train_preprocess.csv", "tweet")
    smsa = root / "indonlu" / "smsa_doc-sentiment-prosa" / "train_preprocess.tsv"
    if smsa.is_file():
        texts.extend(line.split("\t")[0] for line in read_text_file(smsa).splitlines())
    for fold in ("train0", "dev0", "test0"):
        path = root / "indolem" / "tweet_ordering" / f"{fold}.json"
        if path.is_file():
            for thread in json.loads(read_text_file(path)):
                texts.extend(thread.get("tweets", []))
    for path in sorted((root / "stif-informal-formal" / "unlabelled").glob("*.inf")):
        texts.extend(read_text_file(path).splitlines())
    add_csv(root / "detik-news-1000-2025" / "data_berita.csv", "isi_berita")
    texts.extend(political_blog_texts(root))
    return [t for t in texts if t and t.strip()]


def political_blog_texts(root: Path) -> list[str]:
    """Long blog posts about Pilkada and Pilpres candidates (id-stance-political-blogs): the
    long-post register the provocation test reads, which tweets do not teach. The 2018 file
    re-annotates the 2016 one plus new posts, so articles are merged on their title. The body is
    a JSON list of paragraphs; one that does not parse is kept as plain text."""
    folder = root / "id-stance-political-blogs"
    sources = (("dataset_stance_2_label_2018_building_by_rini.csv", ";", "Judul Artikel", "Isi Artikel"),
               ("dataset_stance_3_label_2016_building_by_cakra.csv", ",", "title", "content"))
    seen: set[str] = set()
    texts: list[str] = []
    for name, delimiter, title_col, body_col in sources:
        if not (folder / name).is_file():
            continue
        for row in read_csv(folder / name, delimiter=delimiter):
            title, body = (row.get(title_col) or "").strip(), row.get(body_col) or ""
            if not body.strip() or title.lower() in seen:
                continue
            seen.add(title.lower())
            try:
                paragraphs = json.loads(body)
            except ValueError:
                paragraphs = [body]
            if isinstance(paragraphs, str):
                paragraphs = [paragraphs]
            texts.append("\n".join([title, *(str(p) for p in paragraphs)]).strip())
    return texts


def train_tokenizer(texts: list[str], vocab_size: int, out_path: Path):
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers, decoders

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=50))
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIAL_TOKENS, show_progress=False)
    tokenizer.train_from_iterator(texts, trainer=trainer)
    # The trainer hands out ids in hash-map order, which changes from run to run although the
    # vocabulary itself does not; re-number it (specials first, then sorted) for reproducibility.
    learned = tokenizer.get_vocab()
    ordered = SPECIAL_TOKENS + sorted(t for t in learned if t not in SPECIAL_TOKENS)
    tokenizer = Tokenizer(models.WordPiece({t: i for i, t in enumerate(ordered)}, unk_token="[UNK]", max_input_chars_per_word=50))
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tokenizer.save(str(out_path))
    return tokenizer


def normalised_pretraining_texts(root: Path, extra: list[str], limit_chars: int = 2000) -> list[str]:
    # Long articles are cut: the tokenizer needs word statistics, not whole documents.
    return extra + [normalise(t[:limit_chars]) for t in unlabelled_texts(root)]

