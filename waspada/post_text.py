"""The text of a post as the model, claim matching and the item page's explanation read it."""
from __future__ import annotations

from typing import Any


def classification_text(record: dict[str, Any]) -> str:
    """Title and body as one text: headlines carry much of a hoax's claim."""
    title = (record.get("title") or "").strip()
    text = record["text"].strip()
    if title and not text.startswith(title):
        return f"{title}. {text}"
    return text


def normalised_text(text: str) -> str:
    """`text` normalised as the model was trained on it (models.normalise)."""
    from models.normalise import normalise  # lazily: the pipeline must import without the model
    return normalise(text)
