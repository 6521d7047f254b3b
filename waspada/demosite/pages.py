"""HTML pages and feeds of the demo site. Every value is escaped: posts carry hostile payloads."""
from __future__ import annotations

from datetime import timezone
from email.utils import format_datetime
from html import escape

from waspada.demosite.content import ZONES, Post, Site, indonesian_date


def article_page(post: Post, base_url: str) -> str:
    site = post.site
    url = base_url + post.path
    meta_date = (f'<meta property="article:published_time" content="{post.published.isoformat()}">'
                 if site.meta_dates else "")
    local = post.published.astimezone(_zone(site.zone))
    body = "\n".join(f"<p>{escape(p)}</p>" for p in post.paragraphs)
    tags = " ".join(f'<a class="tag" href="{base_url}/{site.slug}/">#{escape(t)}</a>' for t in post.tags)
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>{escape(post.title)} - {escape(site.name)}</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:title" content="{escape(post.title)}">
<meta property="og:url" content="{escape(url)}">
<meta property="og:site_name" content="{escape(site.name)}">
<meta property="og:type" content="article">
<meta name="author" content="{escape(post.author)}">
{meta_date}
</head><body>
<header><a href="{base_url}/{site.slug}/">{escape(site.name)}</a> <small>{escape(site.tagline)}</small></header>
<nav><a href="{base_url}/{site.slug}/">Beranda</a> | <a href="{base_url}/{site.slug}/{'atom.xml' if site.feed_format == 'atom' else 'rss.xml'}">Feed</a></nav>
<main><article>
<h1>{escape(post.title)}</h1>
<div class="byline">Oleh <span class="author">{escape(post.author)}</span> &middot; <span class="date">{indonesian_date(local, site.zone)}</span></div>
<div class="region">{escape(post.region)}</div>
{body}
<div class="tags">{tags}</div>
</article></main>
<footer>&copy; 2024 {escape(site.name)}. Situs demo fiktif Waspada.</footer>
</body></html>"""


def listing_page(site: Site, posts: list[Post], base_url: str) -> str:
    items = "\n".join(f'<li><a class="judul" href="{escape(post.path)}">{escape(post.title)}</a> '
                      f'<span class="date">{indonesian_date(post.published.astimezone(_zone(site.zone)), site.zone)}</span></li>'
                      for post in posts)
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{escape(site.name)}</title></head><body>
<h1>{escape(site.name)}</h1><p>{escape(site.tagline)}</p>
<ul class="daftar-berita">
{items}
</ul></body></html>"""


def rss_feed(site: Site, posts: list[Post], base_url: str) -> str:
    # Indonesian portals often put their display date in pubDate; Suara Timur does, on purpose.
    def pub_date(post: Post) -> str:
        if not site.meta_dates:
            return indonesian_date(post.published.astimezone(_zone(site.zone)), site.zone)
        return format_datetime(post.published)
    items = "\n".join(f"""<item>
<title>{escape(post.title)}</title>
<link>{escape(base_url + post.path)}</link>
<guid isPermaLink="true">{escape(base_url + post.path)}</guid>
<pubDate>{pub_date(post)}</pubDate>
<dc:creator>{escape(post.author)}</dc:creator>
<description>{escape(post.paragraphs[0])}</description>
<content:encoded>{escape("".join(f"<p>{escape(p)}</p>" for p in post.paragraphs))}</content:encoded>
</item>""" for post in posts)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>{escape(site.name)}</title>
<link>{escape(base_url)}/{site.slug}/</link>
<description>{escape(site.tagline)}</description>
<language>id</language>
{items}
</channel></rss>"""


def atom_feed(site: Site, posts: list[Post], base_url: str) -> str:
    updated = max(post.published for post in posts).astimezone(timezone.utc).isoformat()
    entries = "\n".join(f"""<entry>
<title type="text">{escape(post.title)}</title>
<link rel="alternate" href="{escape(base_url + post.path)}"/>
<id>{escape(base_url + post.path)}</id>
<published>{post.published.isoformat()}</published>
<updated>{post.published.isoformat()}</updated>
<author><name>{escape(post.author)}</name></author>
<summary type="text">{escape(post.paragraphs[0])}</summary>
</entry>""" for post in posts)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">
<title>{escape(site.name)}</title>
<id>{escape(base_url)}/{site.slug}/</id>
<link rel="self" href="{escape(base_url)}/{site.slug}/atom.xml"/>
<updated>{updated}</updated>
{entries}
</feed>"""


def home_page(sites: list[Site], base_url: str) -> str:
    rows = "\n".join(f'<li><a href="{base_url}/{s.slug}/">{escape(s.name)}</a> - {escape(s.tagline)}</li>' for s in sites)
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Situs demo Waspada</title></head>
<body><h1>Situs demo Waspada</h1><p>Portal berita fiktif untuk mencoba Waspada secara lokal.</p><ul>{rows}</ul></body></html>"""


def _zone(name: str):
    return ZONES[name]
