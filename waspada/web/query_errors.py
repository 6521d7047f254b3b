"""Query syntax errors in Indonesian, worded from the structured facts the parser keeps
(``QuerySyntaxError.code`` and ``.facts``): the index module stays in English for the CLI and the
logs, analysts read this. Each message quotes the query and says how to fix it.

    >>> from waspada.index.query import QuerySyntaxError, parse
    >>> try:
    ...     parse("kpu NOT")
    ... except QuerySyntaxError as exc:
    ...     print(query_error_message(exc))
    Kueri 'kpu NOT': NOT harus diikuti kata yang dikecualikan, misalnya NOT hoaks; tambahkan katanya atau hapus NOT.
"""
from __future__ import annotations

from waspada.index.query import QuerySyntaxError
from waspada.web.render import number

#: How to fix a query past each limit of ``waspada.index.query`` (QueryTooComplex.limit).
_LIMIT_WORDS = {
    "chars": ("karakter", "Perpendek kueri, atau pindahkan syaratnya ke filter (label, sumber, wilayah, tanggal)."),
    "terms": ("kata dan frasa", "Hapus kata yang tidak menambah apa-apa, atau pecah menjadi beberapa pencarian "
                                "dan simpan masing-masing."),
    "depth": ("lapis tanda kurung bersarang", "Kurangi kurung di dalam kurung, misalnya tulis (a OR b) c, "
                                              "bukan ((a OR b) c)."),
}


def _shown(text: str, room: int = 60) -> str:
    return repr(text) if len(text) <= room else repr(text[:room]) + "…"


def _excluding(operator: str) -> str:
    # '-hoaks' sticks to its word; 'NOT hoaks' needs the space (NOThoaks is one word).
    return "-hoaks" if operator == "-" else f"{operator} hoaks"


def _problem(exc: QuerySyntaxError) -> str:
    """The problem and its fix, after "Kueri '...':"."""
    facts, code = exc.facts, exc.code
    if code == "quote_unclosed":
        return (f'tanda kutip pembuka frasa pada karakter ke-{facts["position"]} tidak pernah ditutup; '
                'tambahkan " penutup atau hapus yang pembuka.')
    if code == "paren_unopened":
        return "ada ')' tanpa '(' pasangannya; hapus ')' itu atau tambahkan '(' sebelumnya."
    if code == "paren_unclosed":
        return "ada '(' yang tidak pernah ditutup; tambahkan ')' atau hapus '(' itu."
    if code == "or_without_right":
        return "OR perlu kata di kedua sisinya; tambahkan kata sesudah OR atau hapus OR."
    if code == "or_without_left":
        return "OR perlu kata di kedua sisinya; tambahkan kata sebelum OR atau hapus OR."
    if code == "not_without_word":
        op = facts["operator"]
        return f"{op} harus diikuti kata yang dikecualikan, misalnya {_excluding(op)}; tambahkan katanya atau hapus {op}."
    if code == "double_not":
        return (f"pengecualian ganda ({facts['first']} lalu {facts['second']}) tidak dapat dicari; "
                "hapus salah satunya.")
    if code == "wildcard_inside":
        return (f"tanda * di tengah kata ({facts['word']!r}) tidak didukung; * hanya boleh di akhir kata, "
                "misalnya korup*.")
    if code == "prefix_too_short":
        return (f"awalan {facts['word']!r} terlalu pendek; tulis paling sedikit {facts['minimum']} huruf "
                "sebelum *, misalnya korup*.")
    if code == "exclusion_alone":
        return ("pengecualian berdiri sendiri di dalam OR atau kurung; letakkan kata di sampingnya, "
                "misalnya a OR (b -c), bukan a OR -c.")
    if code == "group_only_exclusions":
        return "kurung hanya berisi pengecualian; tambahkan kata yang dicari, misalnya (pemilu -hoaks)."
    if code == "engine":
        return (f"mesin pencari menolak menjalankannya ({facts.get('detail', '')}); "
                "sederhanakan kueri atau pecah menjadi beberapa pencarian.")
    return "tidak dapat dibaca; periksa tanda kutip, kurung, OR dan NOT."


def query_error_message(exc: QuerySyntaxError, text: str = "") -> str:
    """An Indonesian sentence for a query the parser refused, naming the query and the fix;
    ``text`` is the query, for the errors raised where the parser no longer has it."""
    text = exc.text or text
    if exc.code == "too_complex":
        unit, fix = _LIMIT_WORDS[exc.facts["limit"]]
        shown = repr(text[:40]) + ("…" if len(text) > 40 else "")
        return (f"Kueri {shown} memuat {number(exc.facts['found'])} {unit}; "
                f"paling banyak {number(exc.facts['allowed'])}. {fix}")
    return f"Kueri {_shown(text)}: {_problem(exc)}"
