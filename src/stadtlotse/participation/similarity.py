"""Suggested groups of similar comments, computed locally: TF-IDF over German words and cosine
similarity (no external service, no ORM). Staff confirm or change the suggestions by hand."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

STOPWORDS = frozenset(
    "aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei bin bis bitte "
    "bist da dabei damit dann das dass dein dem den der des dessen die dies diese diesem diesen dieser "
    "dieses doch dort du durch ein eine einem einen einer eines er es etwas euer für gegen hat hatte "
    "hier hin ich ihr ihre im in ins ist ja jede jedem jeden jeder jedes jetzt kann kein keine mehr mein "
    "man mich mir mit muss nach nicht noch nun nur ob oder ohne sehr sein seine sich sie sind so soll "
    "sollte sondern über um und uns unser unter viel vom von vor war wäre was weil wenn wer werden wie "
    "wir wird wo zu zum zur".split()
)
_SUFFIXES = ("ungen", "ungen", "heiten", "keiten", "ung", "heit", "keit", "en", "er", "es", "e", "n", "s")


@dataclass(frozen=True)
class Text:
    key: int
    text: str


def tokens(text: str) -> list[str]:
    """Lower-case words without stop words, with a crude German suffix stemming."""
    words = re.findall(r"[a-zäöüß]{3,}", text.lower())
    result = []
    for word in words:
        if word in STOPWORDS:
            continue
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        result.append(word)
    return result


def vectors(texts: list[Text]) -> dict[int, dict[str, float]]:
    """TF-IDF vector per text, normalised to length 1."""
    counts = {t.key: Counter(tokens(t.text)) for t in texts}
    df: Counter = Counter()
    for c in counts.values():
        df.update(c.keys())
    n = len(texts)
    result = {}
    for key, c in counts.items():
        v = {w: tf * (math.log((1 + n) / (1 + df[w])) + 1) for w, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        result[key] = {w: x / norm for w, x in v.items()}
    return result


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def suggest_groups(texts: list[Text], threshold: float = 0.3) -> list[list[int]]:
    """Groups (of two or more keys) of texts that are similar to each other: single-linkage over
    pairs whose cosine similarity reaches ``threshold``; largest groups first."""
    vs = vectors(texts)
    keys = [t.key for t in texts]
    parent = {k: k for k in keys}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if cosine(vs[a], vs[b]) >= threshold:
                parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for k in keys:
        groups.setdefault(find(k), []).append(k)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g[0]))
