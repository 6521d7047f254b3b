"""Telegram spider: public channels through their web preview, ``https://t.me/s/<channel>``.

The preview is HTML that anyone can read without an account: the newest ~20 messages, and a
``?before=<id>`` link to older ones. Each message becomes one record: its text (for photos and
videos, the caption; for files, the file name), the date from ``<time datetime>``, views ("1.2K"
→ 1200) as engagement, the forwarded-from channel and the replied-to message as context, and the
message link (``https://t.me/<channel>/<id>``) as url, with ``native_id`` ``telegram:<channel>/<id>``.

Telegram changes this markup without notice. A page with the channel but no messages is a counted
``empty_channel`` skip; a page (or message) without the structure read here is a counted
``changed_markup`` skip naming what was missing, never a crash.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from crawlers.items import spool_item
from crawlers.spiders.social import SocialSpider, iso_time, with_query
from crawlers.text import html_to_text

_COUNT = re.compile(r"^\s*([\d.,]+)\s*([KkMm]?)\s*$")
#: A message's link: ``https://t.me/<channel>/<id>``.
_MESSAGE_PATH = re.compile(r"^/([A-Za-z0-9_]{3,64})/(\d+)/?$")
#: What a channel preview page shows, with or without messages.
MESSAGE_CSS = "div.tgme_widget_message"
CHANNEL_CSS = ".tgme_channel_history, .tgme_channel_info"
# The message text div that is the message's own, not the quoted text of the message it replies to.
_OWN_TEXT = (".//div[contains(concat(' ', normalize-space(@class), ' '), ' tgme_widget_message_text ')"
             " and not(ancestor::*[contains(@class, 'tgme_widget_message_reply')])]")


class TelegramSpider(SocialSpider):
    name = "telegram"
    kind = "telegram"

    def parse_page(self, response, source, stream, page):
        self.page_fetched(response)
        messages = response.css(MESSAGE_CSS)
        if not messages:
            if response.css(CHANNEL_CSS):
                if page == 1:
                    self.skip("empty_channel", response.url, f"source {source.id}: the channel preview has no messages")
                return  # on later pages this is just the beginning of the channel
            self.skip("changed_markup", response.url, f"source {source.id}: no div.tgme_widget_message and no "
                      "channel header on the page; Telegram changed its preview markup or the channel is private")
            return
        reached_known = False
        positions = []
        for message in messages:
            position = message_position(message)
            if position is None:
                self.skip("changed_markup", response.url, f"source {source.id}: a message without data-post=\"<channel>/<id>\" "
                          f"(got {message.attrib.get('data-post', '')!r}); Telegram changed its preview markup")
                continue
            channel, number = position
            positions.append(number)
            if not self.is_new(source, stream, number):
                reached_known = True
                continue
            item = self.message_item(response, source, message, channel, number)
            if item:
                yield item
        before = response.css("a.tme_messages_more::attr(data-before)").get()
        if not (before and before.isdigit()) and positions:
            before = str(min(positions))
        next_url = with_query(stream, before=before) if before and int(before) > 1 else None
        request = self.next_page(source, stream, page, next_url, reached_known)
        if request:
            yield request

    def message_item(self, response, source, message, channel, number):
        link = message.css("a.tgme_widget_message_date::attr(href)").get() or f"https://t.me/{channel}/{number}"
        url = response.urljoin(link)
        text_html = message.xpath(_OWN_TEXT).get()
        media = [name for name, css in (("photo", ".tgme_widget_message_photo_wrap"),
                                        ("video", ".tgme_widget_message_video_player"),
                                        ("document", ".tgme_widget_message_document"),
                                        ("poll", ".tgme_widget_message_poll")) if message.css(css)]
        text = html_to_text(text_html)
        if not text:
            # A file without a caption is still known by its name; a bare photo has nothing to judge.
            text = " ".join(message.css(".tgme_widget_message_document_title::text, "
                                        ".tgme_widget_message_poll_question::text").getall()).strip()
        if not text:
            detail = f"media ({', '.join(media)}) without a caption" if media else "no text"
            self.skip("no_text", url, f"source {source.id}: message {channel}/{number} has {detail}")
            return None
        published = iso_time(message.css(".tgme_widget_message_date time::attr(datetime)").get())
        if not published:
            self.logger.warning("Message %s (source %s) has no <time datetime>; Telegram may have changed its markup",
                                url, source.id)
            self.crawler.stats.inc_value("waspada/telegram/missing_date")
        views = message_views(message)
        forwarded = message.css("a.tgme_widget_message_forwarded_from_name, .tgme_widget_message_forwarded_from_name")
        reply = message.css("a.tgme_widget_message_reply::attr(href)").get()
        context = {
            "forwarded_from": ({"name": html_to_text(forwarded[0].get()) or None,
                                "url": forwarded[0].attrib.get("href")} if forwarded else None),
            "in_reply_to": {"url": response.urljoin(reply)} if reply else None,
            "media": media,
            "channel_name": (message.css(".tgme_widget_message_owner_name span::text").get() or "").strip() or None,
            "signed_by": (message.css(".tgme_widget_message_from_author::text").get() or "").strip() or None,
        }
        return spool_item(source=source, response=response, url=url, title=None, text=text,
                          author=channel, published=published, kind="post",
                          native_id=f"telegram:{channel}/{number}",
                          engagement={"views": views} if views is not None else None,
                          context={k: v for k, v in context.items() if v})


def message_position(message) -> tuple[str, int] | None:
    """(channel, message id) from a message's ``data-post="<channel>/<id>"``; None when it has none."""
    channel, _, number = message.attrib.get("data-post", "").rpartition("/")
    return (channel, int(number)) if channel and number.isdigit() else None


def message_views(message) -> int | None:
    """The views a message shows ("1.2K" → 1200); None when the count is missing or unreadable."""
    return parse_count(message.css(".tgme_widget_message_views::text").get())


def message_link(url: str) -> tuple[str, int] | None:
    """(channel, message id) from a message link ``https://t.me/<channel>/<id>``; None for anything else."""
    match = _MESSAGE_PATH.match(urlsplit(url or "").path)
    return (match.group(1), int(match.group(2))) if match else None


def preview_before_url(message_url: str, before: int) -> str:
    """The channel preview page of the messages older than ``before``, on the host of ``message_url``
    (``https://t.me/kpu/101`` with 102 → ``https://t.me/s/kpu?before=102``)."""
    channel, _ = message_link(message_url) or (None, None)
    if channel is None:
        raise ValueError(f"{message_url!r} is not a Telegram message link (https://t.me/<channel>/<id>)")
    parts = urlsplit(message_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/s/{channel}", f"before={before}", ""))


def parse_count(value: str | None) -> int | None:
    """Telegram's short counts: "987" → 987, "1.2K" → 1200, "3,4M" → 3400000; None if unreadable."""
    match = _COUNT.match(value or "")
    if not match:
        return None
    number, suffix = match.group(1), match.group(2).upper()
    if not suffix:  # plain counts: separators are thousands ("1,234"), not decimals
        number = number.replace(",", "").replace(".", "")
    number = number.replace(",", ".")
    if number.count(".") > 1:
        return None
    try:
        return round(float(number) * {"": 1, "K": 1_000, "M": 1_000_000}[suffix])
    except ValueError:
        return None
