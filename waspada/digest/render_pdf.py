"""The digest as PDF, with fpdf2 (pure Python) and the DejaVu Sans fonts matplotlib ships.

Core PDF fonts know Latin-1 only; crawled Indonesian text brings curly quotes, dashes and emoji,
so a Unicode TTF is embedded. DejaVu Sans covers Latin, Greek, Cyrillic, many symbols and a few
emoji, but not most emoji, flags or CJK: characters the font has no glyph for are dropped before
they reach fpdf2 (``printable``), so a 🔥 in a title costs that character, never the report.
"""
from __future__ import annotations

import io
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from waspada.digest import formatting as f
from waspada.digest.collect import TABLE_ROWS
from waspada.digest.counts import DIMENSIONS

_FAMILY = "DejaVu"
_BLUE = (44, 110, 155)
_HEAD_FILL = (238, 244, 248)
_GREY = (85, 85, 85)


class DigestPdfError(RuntimeError):
    """The PDF cannot be made; the message names what is missing and how to fix it."""


def font_paths() -> tuple[Path, Path]:
    """DejaVuSans.ttf and DejaVuSans-Bold.ttf from matplotlib's bundled fonts."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    for path in (regular, bold):
        if not path.is_file():
            raise DigestPdfError(f"font {path} is missing; reinstall matplotlib (pip install --force-reinstall "
                                 f"matplotlib), which ships DejaVu Sans")
    return regular, bold


@lru_cache(maxsize=1)
def _coverage() -> frozenset[int]:
    """Code points both DejaVu Sans faces have a glyph for."""
    from fontTools.ttLib import TTFont

    sets = []
    for path in font_paths():
        with TTFont(str(path), lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*sets))


def printable(value: Any) -> str:
    """``value`` as text the PDF can show: NFC-normalised, control characters (but newlines, which
    the tables use on purpose) turned into spaces, characters without a glyph in the font dropped."""
    covered = _coverage()
    out = []
    for char in unicodedata.normalize("NFC", "" if value is None else str(value)):
        if char == "\n":
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            out.append(" ")
        elif ord(char) in covered:
            out.append(char)
    return "".join(out)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cyber(d: dict[str, Any]) -> dict[str, Any]:
    # Archives built before the threat sections have none: render them empty.
    return d.get("cyber_threats") or {"total": 0, "by_kind": {}, "posts": []}


def _lookalikes(d: dict[str, Any]) -> dict[str, Any]:
    return d.get("lookalike_domains") or {"total": 0, "domains": []}


def threat_sections(d: dict[str, Any], heading, paragraph, table) -> None:
    """The cyber-threat posts and the look-alike domains of the day (same wording as the HTML)."""
    from waspada.threats.names_id import cyber_kind_name

    cyber = _cyber(d)
    heading(f"Ancaman siber ({f.number(cyber['total'])})")
    paragraph("Pos hari ini yang menawarkan atau mengklaim kebocoran data pemilu, mengklaim peretasan sistem pemilu, "
              "atau phishing atas nama penyelenggara. Temuan aturan kata (bukan skor model); terbaru di atas.",
              size=8, grey=True)
    if cyber["posts"]:
        paragraph(" · ".join(f"{cyber_kind_name(k)}: {f.number(n)}" for k, n in cyber["by_kind"].items()), size=8)
        table(["Waktu", "Jenis", "Alasan", "Pos (tautan ke Waspada)", "Sumber"],
              [[f.wib(p["published"]), p["kind_name"], _clip(p["reason"], 200), (_clip(p["title"], 90), p["link"]),
                f"{p['source_name']}\n{p['platform']}"] for p in cyber["posts"]],
              (0.15, 0.17, 0.3, 0.23, 0.15))
        if cyber["total"] > len(cyber["posts"]):
            paragraph(f"… dan {f.number(cyber['total'] - len(cyber['posts']))} pos lainnya.", size=8, grey=True)
    else:
        paragraph("Tidak ada pos ancaman siber pada hari ini.", grey=True)

    fakes = _lookalikes(d)
    heading(f"Domain tiruan ({f.number(fakes['total'])})")
    paragraph("Domain yang meniru domain resmi penyelenggara pemilu, tempat pos hari ini dimuat atau yang ditautkannya: "
              "kemungkinan phishing atau situs palsu. Ditulis sebagai teks, bukan tautan.", size=8, grey=True)
    if fakes["domains"]:
        table(["Domain tiruan", "Meniru", "Cara", "Pos", "Contoh pos"],
              [[r["domain"], r["official"], r["kind_name"], f.number(r["posts"]),
                (_clip(r["example"]["title"], 90) + f"\n{f.wib(r['example']['published'])}", r["example"]["link"])]
               for r in fakes["domains"]],
              (0.24, 0.14, 0.18, 0.08, 0.36))
        if fakes["total"] > len(fakes["domains"]):
            paragraph(f"… dan {fakes['total'] - len(fakes['domains'])} domain lainnya.", size=8, grey=True)
    else:
        paragraph("Tidak ada domain tiruan yang terlihat pada hari ini.", grey=True)


def render_pdf(d: dict[str, Any], charts: dict[str, bytes]) -> bytes:
    """The PDF bytes for digest ``d``; ``charts`` maps ``trend``/``platforms`` to PNG bytes."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    regular, bold = font_paths()
    # Archives built before the dark-sources section have none: render them without it.
    dark = d.get("dark_sources") or {"as_of": None, "sources": []}
    title = f"Ringkasan Harian Waspada – {d['date_label']}"

    class DigestPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(_FAMILY, "", 8)
            self.set_text_color(*_GREY)
            self.cell(0, 6, printable(f"{title} · halaman {self.page_no()}/{{nb}}"), align="C")

    pdf = DigestPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(printable(title))
    pdf.set_author("Waspada")
    pdf.set_creator("Waspada digest (fpdf2)")
    pdf.add_font(_FAMILY, "", str(regular))
    pdf.add_font(_FAMILY, "B", str(bold))
    pdf.set_margins(14, 14, 14)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: float = 13) -> None:
        # Room for the heading, a note and the first rows below it, or a new page.
        if pdf.will_page_break(40):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(_FAMILY, "B", size)
        pdf.set_text_color(*_BLUE)
        pdf.multi_cell(width, 7, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)

    def subheading(text: str) -> None:
        # Keep a subheading with the first rows of its table: never alone at the foot of a page.
        if pdf.will_page_break(25):
            pdf.add_page()
        paragraph(text, size=10, bold_text=True)

    def paragraph(text: str, size: float = 9, bold_text: bool = False, grey: bool = False) -> None:
        pdf.set_font(_FAMILY, "B" if bold_text else "", size)
        pdf.set_text_color(*(_GREY if grey else (0, 0, 0)))
        pdf.multi_cell(width, 5, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)

    def table(headings: list[str], rows: list[list[Any]], widths: tuple[float, ...],
              aligns: tuple[str, ...] | None = None) -> None:
        """``rows`` cells are text or (text, link)."""
        pdf.set_font(_FAMILY, "", 8)
        with pdf.table(col_widths=widths, line_height=4.2, padding=1,
                       headings_style=FontFace(emphasis="BOLD", fill_color=_HEAD_FILL),
                       text_align=aligns or "LEFT") as t:
            head = t.row()
            for text in headings:
                head.cell(printable(text))
            for cells in rows:
                row = t.row()
                for cell in cells:
                    text, link = cell if isinstance(cell, tuple) else (cell, None)
                    row.cell(printable(text), link=link)
        pdf.ln(2)

    # -- title ----------------------------------------------------------------------------
    pdf.set_font(_FAMILY, "B", 17)
    pdf.multi_cell(width, 8, printable("Ringkasan Harian Waspada"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    paragraph(f"{d['date_label']} · pukul 00:00–24:00 WIB ({f.wib(d['window']['start'])} s.d. "
              f"{f.wib(d['window']['end'])}) · dibandingkan dengan rata-rata {d['baseline']['days']} hari sebelumnya · "
              f"dibuat {f.wib(d['generated_at'])} dari indeks {d['backend']}", size=8, grey=True)
    pdf.ln(2)
    if d["no_data"]:
        pdf.set_fill_color(244, 244, 244)
        pdf.set_font(_FAMILY, "B", 11)
        pdf.multi_cell(width, 8, "Tidak ada pos terdeteksi pada hari ini.", fill=True,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    total = d["total"]
    paragraph(f"Pos terdeteksi: {f.number(total['day'])} (rata-rata 7 hari {f.number(total['avg7'], 1)}; "
              f"{f.change(total)})", size=11, bold_text=True)
    paragraph(f"Peringatan dipicu: {len(d['alerts'])} · Investigasi dibuka: {len(d['investigations']['opened'])}, "
              f"ditutup: {len(d['investigations']['closed'])} · Sumber gagal di-crawl: {d['headline']['failed_sources']}"
              f" · Sumber nonaktif: {len(dark['sources'])} · Ancaman siber: {f.number(_cyber(d)['total'])}"
              f" · Domain tiruan: {f.number(_lookalikes(d)['total'])}", size=10)

    # -- charts ---------------------------------------------------------------------------
    heading("Tren")
    for name in ("trend", "platforms"):
        if pdf.will_page_break(width * 0.42):
            pdf.add_page()
        pdf.image(io.BytesIO(charts[name]), w=width)
        pdf.ln(2)

    # -- breakdowns -----------------------------------------------------------------------
    heading("Rincian hari ini dibanding rata-rata 7 hari")
    for name, (_, label) in DIMENSIONS.items():
        rows = d["breakdowns"][name]
        subheading(f"Per {label.lower()}")
        if not rows:
            paragraph("Tidak ada data.", grey=True)
            continue
        table([label, "Hari ini", "Rata-rata 7 hari", "Perubahan"],
              [[_clip(f"{r['name']} ({r['key']})" if name == "source" and r["name"] != r["key"] else r["name"], 90),
                f.number(r["day"]), f.number(r["avg7"], 2), f.change(r)] for r in rows[:TABLE_ROWS]],
              (0.46, 0.14, 0.18, 0.22), ("LEFT", "RIGHT", "RIGHT", "RIGHT"))
        if len(rows) > TABLE_ROWS:
            paragraph(f"… dan {len(rows) - TABLE_ROWS} lainnya (lengkap di digest.json).", size=8, grey=True)

    # -- top items ------------------------------------------------------------------------
    heading("Pos paling berbahaya hari ini")
    if d["top_items"]:
        paragraph("Diurutkan menurut keparahan: skor tertinggi × (1 + log10(1 + jangkauan)).", size=8, grey=True)
        table(["#", "Judul (tautan ke Waspada)", "Sumber", "Label", "Skor H / P", "Jangkauan", "Keparahan"],
              [[str(n), (_clip(item["title"] or "(tanpa judul)", 160) + f"\n{f.wib(item['published'])}", item["link"]),
                f"{item['source_name']}\n{item['platform']}", f.labels(item["labels"]),
                f"{f.score(item['scores'].get('hoax'))} / {f.score(item['scores'].get('provocation'))}",
                f.number(item["reach"]), f.score(item["severity"])]
               for n, item in enumerate(d["top_items"], 1)],
              (0.05, 0.35, 0.16, 0.11, 0.11, 0.11, 0.11), ("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"))
    else:
        paragraph("Tidak ada pos terdeteksi pada hari ini.", size=10, bold_text=True)

    # -- debunked claims circulating again ------------------------------------------------
    claims = d.get("claim_matches") or []  # absent in archives built before claim matching
    heading(f"Klaim yang sudah dibantah beredar lagi ({len(claims)})")
    paragraph("Pos hari ini yang mengulang klaim yang sudah dinyatakan salah oleh pemeriksa fakta. "
              "Kecocokan menaikkan skor hoaks pos itu.", size=8, grey=True)
    if claims:
        table(["Putusan", "Klaim (cek fakta)", "Pos", "Kemiripan", "Contoh pos"],
              [[c["verdict"] or "-", (_clip(c["title"], 160), c["url"]) if c["url"].startswith(("http://", "https://")) else _clip(c["title"], 160),
                f.number(c["posts"]), f.score(c["similarity"]), (_clip(c["example"]["title"], 90), c["example"]["link"])]
               for c in claims],
              (0.12, 0.38, 0.08, 0.1, 0.32))
    else:
        paragraph("Tidak ada klaim terbantah yang beredar lagi pada hari ini.", grey=True)

    threat_sections(d, heading, paragraph, table)

    # -- alerts and investigations --------------------------------------------------------
    heading(f"Peringatan yang dipicu ({len(d['alerts'])})")
    if d["alerts"]:
        table(["Waktu", "Aturan", "Kunci", "Ringkasan", "Jumlah", "Investigasi"],
              [[f.wib(a["fired_at"], False), f"{a['rule']}\n{a['rule_type']}", a["key"] or "-", _clip(a["summary"], 200),
                f.number(a["count"]), (f"#{a['investigation_id']}", a["link"]) if a["link"] else "-"]
               for a in d["alerts"]],
              (0.11, 0.2, 0.13, 0.35, 0.08, 0.13))
    else:
        paragraph("Tidak ada peringatan pada hari ini.", grey=True)
    heading("Investigasi")
    for kind, label, when in (("opened", "Dibuka", "created_at"), ("closed", "Ditutup", "closed_at")):
        invs = d["investigations"][kind]
        subheading(f"{label} hari ini ({len(invs)})")
        if invs:
            table(["#", "Judul", "Status", "Penanggung jawab", "Waktu", "Asal"],
                  [[(f"#{i['id']}", i["link"]), _clip(i["title"], 160), i["status_label"], i["assignee"] or "-",
                    f.wib(i[when], False), f"aturan {i['rule']}" + (f" [{i['rule_key']}]" if i["rule_key"] else "")
                    if i["rule"] else i["created_by"]] for i in invs],
                  (0.07, 0.37, 0.12, 0.14, 0.11, 0.19))
        else:
            paragraph("Tidak ada.", grey=True)

    # -- failed sources -------------------------------------------------------------------
    heading(f"Sumber yang gagal di-crawl ({d['headline']['failed_sources']})")
    paragraph("Gagal = crawl berhenti tidak normal, mencatat error, atau tidak mendapat jawaban dari sumber "
              "(HTTP 4xx/5xx, timeout, koneksi, dibatasi, redirect berulang, feed rusak, struktur halaman berubah).",
              size=8, grey=True)
    if d["failed_sources"]:
        table(["Sumber", "Crawl", "Selesai", "Masalah", "Contoh"],
              [[", ".join(x["sources"]), f"{x['scope']} / {x['spider']}\n{x['window'] or '-'}", f.wib(x["finished"], False),
                x["why"], "\n".join(_clip(f"{e['reason']}: {e['url']}", 70) for e in x["examples"][:3]) or "-"]
               for x in d["failed_sources"]],
              (0.18, 0.18, 0.1, 0.27, 0.27))
    else:
        paragraph("Tidak ada sumber yang gagal pada hari ini.", grey=True)

    # -- dark sources ---------------------------------------------------------------------
    heading(f"Sumber yang nonaktif ({len(dark['sources'])})")
    paragraph("Sumber yang tidak di-crawl lagi: dijeda otomatis karena terlalu sering gagal, atau dinonaktifkan "
              "manual. Tidak ada pos baru dari sumber ini sampai aktif kembali (waspada sources enable ID atau "
              f"halaman Sumber). Keadaan per {f.wib(dark['as_of'])}.", size=8, grey=True)
    if dark["sources"]:
        table(["Sumber", "Keadaan", "Sejak", "Sampai", "Galat terakhir", "Terakhir berhasil"],
              [[f"{s['name']} ({s['id']})\n{s['platform']}",
                s["state_label"] + (f"\n{_clip(s['reason'], 120)}" if s["reason"] else ""),
                f.wib(s["since"]), f.wib(s["until"]) if s["until"] else "sampai diaktifkan lagi",
                f"{f.wib(s['last_error_at'])}\n{_clip(s['last_error'], 160)}" if s["last_error"] else "-",
                f.wib(s["last_success"])]
               for s in dark["sources"]],
              (0.18, 0.2, 0.12, 0.12, 0.26, 0.12))
    else:
        paragraph("Tidak ada sumber yang nonaktif.", grey=True)
    return bytes(pdf.output())
