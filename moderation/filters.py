"""The filters moderation plugs into the inbox (`MESSAGE_FILTER`, the seam in
`marketplace.message_filters`) and into call transcripts (`TRANSCRIPT_FILTER`, the seam in
`calls.transcript_filters`): every user's message and every transcript is scanned before it is
stored (`moderation.detection`); card numbers, IBANs and national ids are stored masked, and a
message or a call with any hit gets one flag."""

from __future__ import annotations

from accounts.models import User
from calls.models import Call
from calls.transcript_filters import ScreenedTranscript, TranscriptFilter
from marketplace.message_filters import Finding, MessageFilter, Screened
from marketplace.models import Conversation, Message
from moderation import detection
from moderation.services.detection import flag_call, flag_message


class DetectingMessageFilter(MessageFilter):
    def screen(self, *, sender: User, conversation: Conversation, body: str) -> Screened:
        hits = detection.scan(body)
        if not hits:
            return Screened(body=body)
        # The excerpt travels in the finding's detail: staff read it; the message never holds it.
        excerpt = detection.excerpt(body, hits)
        return Screened(
            body=detection.mask(body, hits),
            findings=tuple(Finding(rule, excerpt) for rule in detection.rules_of(hits)),
        )

    def stored(self, message: Message, screened: Screened) -> None:
        flag_message(
            message,
            rules=[finding.code for finding in screened.findings],
            excerpt=screened.findings[0].detail,
        )


class DetectingTranscriptFilter(TranscriptFilter):
    def screen(self, *, call: Call, text: str) -> ScreenedTranscript:
        hits = detection.scan(text)
        if not hits:
            return ScreenedTranscript(text=text)
        return ScreenedTranscript(
            text=detection.mask(text, hits),
            findings=tuple(detection.rules_of(hits)),
            excerpt=detection.excerpt(text, hits),
        )

    def stored(self, call: Call, screened: ScreenedTranscript) -> None:
        flag_call(call, rules=list(screened.findings), excerpt=screened.excerpt)
