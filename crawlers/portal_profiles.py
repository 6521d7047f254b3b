"""Where each known portal keeps the article body, and what inside it is not the article.

A small declarative table: portal domain → CSS selector of the body container(s) and CSS selectors
of blocks to drop inside it. A page of an unknown site (or whose layout changed so the selector
finds nothing) goes to trafilatura instead; the line cleaner in ``article_body`` runs either way.
Selectors were read from the portals' own markup (desktop and mobile layouts where both exist).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class PortalProfile:
    body: str  # CSS; every match is part of the body, in page order
    drop: tuple[str, ...] = ()  # CSS inside the body: related boxes, captions, ad slots


PROFILES: dict[str, PortalProfile] = {
    "detik.com": PortalProfile(".detail__body-text", (".para_caption", "table.linksisip", ".detail__body-tag",
                                                      ".staticdetail_container", ".lihatjg")),
    "kompas.com": PortalProfile(".read__content", (".photo", ".ads-on-body", ".kompasidRec", ".inner-link-baca-juga")),
    "tribunnews.com": PortalProfile(".side-article.txt-article", (".baca-juga", ".ads-placeholder")),
    "okezone.com": PortalProfile("#contentx", (".detads", ".paging",)),
    "liputan6.com": PortalProfile(".article-content-body", (".article-content-body__item-page-number",
                                                            ".article-photo-gallery", ".baca-juga-collections",
                                                            ".baca-juga", ".advertisement-placeholder")),
    "merdeka.com": PortalProfile("#detail_news", (".mdk-news-img-copyright", ".gtwsub", ".mdk-tag")),
    "mediaindonesia.com": PortalProfile("section.detail div.article", (".flying-carpet",)),
    "jpnn.com": PortalProfile(".page-content", (".titleh4", ".baca-juga")),
}


def profile_for(url: str | None) -> PortalProfile | None:
    """The profile of ``url``'s portal (subdomains included: health.detik.com is detik.com)."""
    host = (urlsplit(url or "").hostname or "").lower()
    while host:
        if host in PROFILES:
            return PROFILES[host]
        _, _, host = host.partition(".")
    return None
