"""C-15 as pure functions over text, shared by inbox messages and call transcripts: what takes
a deal off the platform (e-mail addresses, phone numbers, messenger and payment handles,
remote-access tools) and what must not be stored in clear (payment card numbers, IBANs, German
identity card numbers and tax ids). No database, no clock: `scan` returns the hits, `mask`
hides the sensitive ones.

The checks that have a standard are the field's libraries, not ours: libphonenumber
(`phonenumbers`) decides what a valid phone number is, python-stdnum checks Luhn, IBANs and
the German tax id. The identity card number has no library check there; its check digit is
ICAO 9303's, a few lines below. Each detector refuses what a marketplace chat is full of and
what a naive pattern would take: prices, order and invoice numbers, dates, times, versions,
postcodes, sizes. The labelled corpus in `tests/moderation/detection_corpus.py` holds them to a
recall of at least 0.95 per rule and a false-positive rate of at most 2 %.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from stdnum import iban, luhn
from stdnum.de import idnr

EMAIL = "email"
PHONE = "phone"
CONTACT_HANDLE = "contact_handle"
REMOTE_ACCESS = "remote_access"
CARD_NUMBER = "card_number"
IBAN = "iban"
NATIONAL_ID = "national_id"
TAX_ID = "tax_id"
RULES = (EMAIL, PHONE, CONTACT_HANDLE, REMOTE_ACCESS, CARD_NUMBER, IBAN, NATIONAL_ID, TAX_ID)
# Masked before a message or transcript is stored, and never logged in clear.
SENSITIVE = frozenset({CARD_NUMBER, IBAN, NATIONAL_ID, TAX_ID})
MASK = "•"


@dataclass(frozen=True)
class Hit:
    rule: str
    start: int
    end: int

    def overlaps(self, other: Hit) -> bool:
        return self.start < other.end and other.start < self.end


def scan(text: str) -> list[Hit]:
    """Every hit in the text, in order. Where a sensitive number and a phone number claim the
    same digits, the sensitive number wins (a card number is no phone number)."""
    sensitive = [*_cards(text), *_ibans(text), *_national_ids(text), *_tax_ids(text)]
    rest = [*_emails(text), *_phones(text), *_handles(text), *_remote_access(text)]
    kept = sensitive + [hit for hit in rest if not any(hit.overlaps(s) for s in sensitive)]
    return sorted(kept, key=lambda hit: (hit.start, hit.rule))


def rules_of(hits: Iterable[Hit]) -> list[str]:
    found = {hit.rule for hit in hits}
    return [rule for rule in RULES if rule in found]


def mask(text: str, hits: Iterable[Hit] | None = None) -> str:
    """The text with every sensitive hit hidden but its last four characters (enough for its
    owner to recognise it, useless to anyone else); separators are kept."""
    chosen = [h for h in (scan(text) if hits is None else hits) if h.rule in SENSITIVE]
    out = list(text)
    for hit in chosen:
        positions = [i for i in range(hit.start, hit.end) if text[i].isalnum()]
        for i in positions[:-4]:
            out[i] = MASK
    return "".join(out)


def excerpt(text: str, hits: list[Hit], *, around: int = 40, most: int = 5) -> str:
    """What staff read of a flag: each hit (the first `most`) in a little of its context,
    sensitive numbers masked — never the whole text (a transcript outlives nothing here)."""
    masked = mask(text, hits)
    if not hits:
        return masked[: 2 * around]
    spans: list[list[int]] = []
    for hit in sorted(hits, key=lambda h: h.start)[:most]:
        start, end = max(0, hit.start - around), min(len(text), hit.end + around)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    parts = [masked[start:end] for start, end in spans]
    return (
        ("…" if spans[0][0] else "") + " … ".join(parts) + ("…" if spans[-1][1] < len(text) else "")
    )


# ---------------------------------------------------------------- e-mail addresses
_PROVIDERS = (
    "gmail|googlemail|gmx|web|yahoo|outlook|hotmail|live|icloud|me|proton|protonmail|posteo|"
    "t-online|freenet|aol|mail|mailbox|yandex|zoho"
)
# Spoken top-level domains: not "in", "it", "at", "to", "me"…, which are also words.
_TLDS = "com|de|net|org|io|co|uk|ch|eu|info|biz|app|dev|xyz|online|email|fr|nl|es|pl|ru"
_AT = r"(?:\s*(?:@|[(\[{]\s*(?:at|ät|@)\s*[)\]}])\s*|\s+(?:at|ät|@)\s+)"
_DOT = r"(?:\s*(?:\.|[(\[{]\s*(?:dot|punkt|\.)\s*[)\]}])\s*|\s+(?:dot|punkt)\s+)"
# Not a file name such as "icon@2x.png": a top-level domain is no file extension.
_FILE_EXTENSIONS = r"png|jpe?g|gif|svg|webp|pdf|css|js|html?|mp[34]|wav|zip|psd|ai|eps|ttf|otf"
_PLAIN_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.(?!(?:{_FILE_EXTENSIONS})\b)[A-Za-z]{{2,}}"
    r"(?![\w-])",
    re.IGNORECASE,
)
_SPOKEN_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}(?:(?:{_PROVIDERS})|[\w-]+){_DOT}"
    rf"(?:[\w-]+{_DOT})*(?:{_TLDS})(?![\w-])",
    re.IGNORECASE,
)


# "look at the dot com": after a plain spoken "at" (no brackets, no @), a word that is never a
# domain.
_BARE_SPOKEN_AT = re.compile(
    r"(?<![(\[{])\s+(?:at|ät)\s+(?:the|a|an|this|that|my|your|our|der|die|das|den|dem|ein|eine)"
    r"\s",
    re.IGNORECASE,
)


_AT_TOKEN = re.compile(r"@|\b(?:at|ät)\b", re.IGNORECASE)
_DOT_TLD = re.compile(rf"{_DOT}(?:{_TLDS})(?![\w-])", re.IGNORECASE)


def _spoken_emails(text: str) -> list[re.Match[str]]:
    """The spelled-out addresses, looked for around each "at" only (the full pattern tried at
    every word of a long message costs more than all the other detectors together)."""
    matches: list[re.Match[str]] = []
    for token in _AT_TOKEN.finditer(text):
        if matches and token.start() < matches[-1].end():
            continue
        if not _DOT_TLD.search(text, token.end(), token.end() + 100):
            continue  # no ".com", " punkt de" … after it: "at 14:00", "look at it"
        begin = max(0, token.start() - 64)
        if begin and (text[begin - 1].isalnum() or text[begin - 1] in ".+-_"):
            begin = max(0, token.start() - 96)  # do not start inside a word
        for m in _SPOKEN_EMAIL.finditer(text, begin, token.end() + 128):
            if m.start() <= token.start() < m.end():
                matches.append(m)
                break
    return matches


def _emails(text: str) -> list[Hit]:
    found = [Hit(EMAIL, m.start(), m.end()) for m in _PLAIN_EMAIL.finditer(text)]
    for m in _spoken_emails(text):
        if _BARE_SPOKEN_AT.search(m.group()):
            continue
        hit = Hit(EMAIL, m.start(), m.end())
        if not any(hit.overlaps(f) for f in found):
            found.append(hit)
    return found


# ---------------------------------------------------------------- phone numbers
# What a chat is full of that libphonenumber could read as a number: dates, times, prices,
# order and invoice numbers, versions, sizes.
_NOT_A_PHONE_BEFORE = re.compile(
    r"(?:#|№|nr\.?|no\.?|nummer|number|order|bestellung|rechnung|invoice|ticket|id|v|version|"
    r"€|\$|£|eur|usd|chf)\s*$",
    re.IGNORECASE,
)
_NOT_A_PHONE_AFTER = re.compile(
    r"^\s*(?:€|eur|euro|usd|\$|%|uhr|h\b|px|dpi|x\d|wörter|words)", re.IGNORECASE
)
_DATE_OR_TIME = re.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?::\d{2})?)$"
)


# Where a phone number could be: seven digits or more, with the separators numbers are written
# with. libphonenumber's matcher reads only these stretches (and a little around them), not the
# whole text: on a 2 KB message that is most of the scan's cost saved.
_DIGIT_RUN = re.compile(r"[+(]?\d[\d \t().\/-]{5,}\d")


# Two numbers written one after the other ("030 1234567 0171 2345678") make one stretch: it is
# read as a whole, then again cut where a new number can begin (a space before 0, + or "(").
_GLUED_BEFORE = re.compile(r"\S{0,4}$")
_GLUED_AFTER = re.compile(r"\S{0,4}")
_NEXT_NUMBER = re.compile(r"\s+(?=[+(]|0(?!\d?\s))")


def _stretches(text: str) -> list[tuple[int, int]]:
    """The stretches to read, the cut pieces of a run before the run as a whole (a number
    found in a piece keeps a wider, wrong reading of the whole from counting)."""
    spans = []
    for run in _DIGIT_RUN.finditer(text):
        if run.start() >= 2 and text[run.start() - 2 : run.start()].isupper():
            continue  # an IBAN's digits after its country ("DE75 5121 0800 …")
        # Only a run longer than any one number (15 digits, E.164) holds two.
        long = sum(c.isdigit() for c in run.group()) > 15
        cuts = list(_NEXT_NUMBER.finditer(run.group())) if long else []
        if cuts:  # each piece from after one cut's spaces to the next cut
            starts = [0, *(cut.end() for cut in cuts)]
            ends = [*(cut.start() for cut in cuts), len(run.group())]
            spans += [(run.start() + a, run.start() + b) for a, b in zip(starts, ends, strict=True)]
        spans.append((run.start(), run.end()))
    return spans


def _phones(text: str) -> list[Hit]:
    found: list[Hit] = []
    for run_start, run_end in _stretches(text):
        stretch = text[run_start:run_end]
        # The cheap refusals first: libphonenumber costs a tenth of a millisecond a stretch.
        if (
            sum(c.isdigit() for c in stretch) < 7
            or _DATE_OR_TIME.match(stretch.strip())
            or _NOT_A_PHONE_BEFORE.search(text[max(0, run_start - 12) : run_start])
            or _NOT_A_PHONE_AFTER.match(text[run_end : run_end + 8])
        ):
            continue
        # A little context on either side (a letter glued to the digits is no phone number),
        # but never into the next stretch.
        left = _GLUED_BEFORE.search(text[max(0, run_start - 4) : run_start])
        right = _GLUED_AFTER.match(text, run_end)
        offset = run_start - (len(left.group()) if left else 0)
        window = text[offset : right.end() if right else run_end]
        for match in phonenumbers.PhoneNumberMatcher(
            window, "DE", leniency=phonenumbers.Leniency.VALID
        ):
            start, end = offset + match.start, offset + match.end
            raw = match.raw_string.strip()
            if _DATE_OR_TIME.match(raw) or sum(c.isdigit() for c in raw) < 7:
                continue
            if _NOT_A_PHONE_BEFORE.search(text[max(0, start - 12) : start]):
                continue
            if _NOT_A_PHONE_AFTER.match(text[end : end + 8]):
                continue
            hit = Hit(PHONE, start, end)
            if not any(hit.overlaps(f) for f in found):
                found.append(hit)
    return found


# ---------------------------------------------------------------- messengers and payments
# A handle, a link to one, or an invitation to write or pay there. A brand named while saying
# no ("not via PayPal", "kein WhatsApp") or as a reference ("bubbles like WhatsApp") is none.
_HANDLE_LINKS = re.compile(
    r"(?:\bt\.me/\w+|\bwa\.me/\d+|\bpaypal\.me/\w+|\bvenmo\.com/\w+|\bcash\.app/\$?\w+|"
    r"\blive:[\w.-]+|(?<![\w$])\$[A-Za-z][\w]{2,}\b|\bdiscord(?:app)?\.(?:gg|com)/\S+)",
    re.IGNORECASE,
)
_BRANDS = (
    r"whats\s?app|telegram|signal|skype|discord|wechat|viber|threema|instagram|insta|snapchat|"
    r"facebook|messenger|paypal|venmo|cash\s?app|revolut|wise|zelle|western\s?union|moneygram|"
    r"klarna|apple\s?pay|google\s?pay"
)
_PAYMENT_BRANDS = r"paypal|venmo|zelle|revolut|wise|cash\s?app"
_VERBS = (
    r"add|text|message|msg|dm|write|contact|call|reach|ping|hit me up|find me|talk|pay|send|"
    r"transfer|wire|move|switch|continue|invoice|schreib\w*|meld\w*|kontaktier\w*|erreich\w*|"
    r"ruf|anrufen|zahl\w*|bezahl\w*|überweis\w*|schick\w*|sende\w*|adde\w*|wechsel\w*|"
    r"quatsch\w*|chatten"
)
_PREPOSITIONS = r"on|via|per|über|auf|bei|at|over|through|durch|mit|in"
_BRAND_IN_USE = re.compile(
    # "write me on WhatsApp", "zahl per PayPal", "let's move to Signal"
    rf"\b(?:{_VERBS})\b[^.!?\n]{{0,40}}?\b(?P<a>{_BRANDS})\b|"
    # "via Telegram", "bei Signal" — the preposition right before the brand
    rf"\b(?:{_PREPOSITIONS})\s+(?P<b>{_BRANDS})\b|"
    # "WhatsApp me", "Revolut mir", "just Zelle the rest"
    rf"\b(?P<c>{_BRANDS})\s+(?:me|mir|us|uns)\b|"
    rf"\b(?P<e>{_PAYMENT_BRANDS})\s+(?:the|it|that|this|him|her|das|es|den|die)\b|"
    # "my Telegram is @lena", "WeChat? Meine ID ist marco_wx", "Signal: +49 …"
    rf"\b(?P<d>{_BRANDS})\b[^.!\n]{{0,25}}?(?:@\w{{3,}}|\+?\d[\d\s/-]{{6,}}|"
    rf"\b(?:id|handle|name|nummer|number|username|nick|tag)\b\s*(?:is|ist|:)?\s*[\w.]{{3,}})",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|don't|dont|can't|cant|won't|wont|without|nicht|kein|keine|keinen|"
    r"niemals|ohne|nie)\b[^.!?\n]{0,30}$",
    re.IGNORECASE,
)
# A brand as a look or a tone to copy: "look a bit like WhatsApp", "wie bei Instagram".
_REFERENCE_BEFORE = re.compile(
    r"\b(?:like|wie|à la|similar to|ähnlich|style of|im stil)\b[^.!?\n]{0,30}$", re.IGNORECASE
)
_REFERENCE_AFTER = re.compile(r"^[\s-]*(?:style|look|-like|design|stil|optik)\b", re.IGNORECASE)
_COMMON_WORDS = {"signal", "wise", "messenger", "insta"}


# Literal cues, looked for with `in` first: most messages hold none, and then the patterns,
# which try every position, are not run at all.
_LINK_CUES = ("t.me/", "wa.me/", "paypal.me/", "venmo.com/", "cash.app/", "live:", "$", "discord")
_BRAND_CUES = (
    "whats", "telegram", "signal", "skype", "discord", "wechat", "viber", "threema", "insta",
    "snapchat", "facebook", "messenger", "paypal", "venmo", "cash", "revolut", "wise", "zelle",
    "western", "moneygram", "klarna", "apple", "google",
)  # fmt: skip


def _handles(text: str) -> list[Hit]:
    lowered = text.lower()
    found = []
    if any(cue in lowered for cue in _LINK_CUES):
        found = [Hit(CONTACT_HANDLE, m.start(), m.end()) for m in _HANDLE_LINKS.finditer(text)]
    if not any(cue in lowered for cue in _BRAND_CUES):
        return found
    for m in _BRAND_IN_USE.finditer(text):
        group = next(g for g in "abcde" if m.group(g))
        brand, start, end = m.group(group), m.start(group), m.end(group)
        # "the signal is weak", "a wise choice": an app only where it is written as a name.
        if brand.lower() in _COMMON_WORDS and not brand[:1].isupper():
            continue
        before = text[max(0, start - 40) : start]
        if _NEGATION.search(before) or _REFERENCE_BEFORE.search(before):
            continue
        if _REFERENCE_AFTER.match(text[end : end + 12]):
            continue
        hit = Hit(CONTACT_HANDLE, m.start(), m.end())
        if not any(hit.overlaps(f) for f in found):
            found.append(hit)
    return found


# ---------------------------------------------------------------- remote access
_REMOTE_ACCESS = re.compile(
    r"\b(?:team\s?viewer|any\s?desk|rust\s?desk|ultra\s?viewer|chrome\s+remote\s+desktop|"
    r"splashtop|supremo|logmein|remotepc|quick\s?support|fernwartung|fernzugriff)\b",
    re.IGNORECASE,
)


_REMOTE_CUES = (
    "viewer", "desk", "remote", "splashtop", "supremo", "logmein", "support", "fernwartung",
    "fernzugriff",
)  # fmt: skip


def _remote_access(text: str) -> list[Hit]:
    """Any mention but a refusal ("I'd rather not install AnyDesk"): a tool named as a topic
    is worth a look too, since C-14 warns against them."""
    lowered = text.lower()
    if not any(cue in lowered for cue in _REMOTE_CUES):
        return []
    return [
        Hit(REMOTE_ACCESS, m.start(), m.end())
        for m in _REMOTE_ACCESS.finditer(text)
        if not _NEGATION.search(text[max(0, m.start() - 40) : m.start()])
    ]


# ---------------------------------------------------------------- sensitive numbers
_CARD = re.compile(r"(?<![\w+])(?:\d[ -]?){12,18}\d(?![\w])")
_CARD_LENGTHS = {13, 14, 15, 16, 19}
_IBAN_START = re.compile(r"[A-Z]{2}\d{2}\s?$")


def _cards(text: str) -> list[Hit]:
    found = []
    for m in _CARD.finditer(text):
        # Cards start with 2-6 (Mastercard, Visa, Amex, Discover, JCB…), phone numbers with 0;
        # the digits after an IBAN's country are no card.
        if m.group()[0] not in "23456" or _IBAN_START.search(
            text[max(0, m.start() - 6) : m.start()]
        ):
            continue
        # The pattern may run on into what follows the number ("… 1111 123" for the CVV,
        # "… 1111 12/25"): the longest span that ends where a group ends and is a card wins.
        ends = [i for i in range(1, len(m.group())) if m.group()[i] in " -"] + [len(m.group())]
        for end in reversed(ends):
            digits = re.sub(r"\D", "", m.group()[:end])
            if len(digits) in _CARD_LENGTHS and len(set(digits)) > 1 and luhn.is_valid(digits):
                found.append(Hit(CARD_NUMBER, m.start(), m.start() + end))
                break
    return found


_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]){11,30}\b")


def _ibans(text: str) -> list[Hit]:
    found = []
    for m in _IBAN.finditer(text):
        candidate = m.group()
        # The longest valid prefix: the pattern may run on into the next word's characters.
        for end in range(len(candidate), 14, -1):
            if iban.is_valid(candidate[:end]):
                found.append(Hit(IBAN, m.start(), m.start() + len(candidate[:end].rstrip())))
                break
    return found


# German identity card numbers: 9 characters of an alphabet without vowels and look-alikes,
# then ICAO 9303's check digit (weights 7, 3, 1 over the values 0-9, A=10 … Z=35).
_ID_ALPHABET = "0123456789CFGHJKLMNPRTVWXYZ"
_NATIONAL_ID = re.compile(rf"\b([{_ID_ALPHABET[10:]}][{_ID_ALPHABET}]{{8}})(\d)\b")


def _icao_check_digit(value: str) -> int:
    weights = (7, 3, 1)
    total = sum(
        (int(c) if c.isdigit() else ord(c) - ord("A") + 10) * weights[i % 3]
        for i, c in enumerate(value)
    )
    return total % 10


# Ten characters with a check digit are also product codes and file names: an identity card
# number only where the text says it is one.
_ID_WORDS = re.compile(
    r"ausweis|personalausweis|perso\b|id[- ]?card|identity card|national id|passport|reisepass|"
    r"ausweisnummer|dokumentennummer|document number",
    re.IGNORECASE,
)


def _national_ids(text: str) -> list[Hit]:
    return [
        Hit(NATIONAL_ID, m.start(), m.end())
        for m in _NATIONAL_ID.finditer(text)
        if any(c.isdigit() for c in m.group(1))
        and _icao_check_digit(m.group(1)) == int(m.group(2))
        and _ID_WORDS.search(text[max(0, m.start() - 60) : m.end() + 40])
    ]


_TAX_ID = re.compile(r"(?<![\d+])(\d{2}[ ]?\d{3}[ ]?\d{3}[ ]?\d{3})(?!\d)")


def _tax_ids(text: str) -> list[Hit]:
    found = []
    for m in _TAX_ID.finditer(text):
        digits = m.group(1).replace(" ", "")
        if idnr.is_valid(digits):
            found.append(Hit(TAX_ID, m.start(), m.end()))
    return found
