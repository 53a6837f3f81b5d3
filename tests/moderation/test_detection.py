"""C-15's detectors (`moderation.detection`) against the labelled corpus and the held-out set
written apart from them: per rule, a recall of at least 0.95 and a false-positive rate of at
most 2 % (the figures are in docs/performance.md, section 10); and a masked sensitive number
keeps nothing but its last four characters."""

from __future__ import annotations

import pytest

from moderation import detection
from tests.moderation.detection_corpus import RULES, SAMPLES, Sample
from tests.moderation.detection_holdout import HOLDOUT

SETS = {"corpus": SAMPLES, "held-out": HOLDOUT}


def found(sample: Sample) -> set[str]:
    return set(detection.rules_of(detection.scan(sample.text)))


def figures(samples: tuple[Sample, ...]) -> dict[str, tuple[float, float, int, int]]:
    """Per rule: recall, false-positive rate, positives, negatives."""
    results = {id(s): found(s) for s in samples}
    table = {}
    for rule in RULES:
        positives = [s for s in samples if rule in s.rules]
        negatives = [s for s in samples if rule not in s.rules]
        hits = sum(rule in results[id(s)] for s in positives)
        false = sum(rule in results[id(s)] for s in negatives)
        table[rule] = (
            hits / len(positives),
            false / len(negatives),
            len(positives),
            len(negatives),
        )
    return table


def test_the_rules_are_the_corpus_rules():
    assert tuple(RULES) == detection.RULES


@pytest.mark.parametrize("name", SETS)
def test_each_detector_finds_95_percent_and_flags_at_most_2_percent_wrongly(name):
    table = figures(SETS[name])
    for rule, (recall, false_rate, positives, negatives) in table.items():
        print(f"{rule:15} recall {recall:.3f} ({positives})", end="  ")
        print(f"false positives {false_rate:.3f} ({negatives})")
    missed = {rule: f[0] for rule, f in table.items() if f[0] < 0.95}
    noisy = {rule: f[1] for rule, f in table.items() if f[1] > 0.02}
    assert not missed, f"recall below 0.95: {missed}"
    assert not noisy, f"false positives above 2 %: {noisy}"


def test_near_misses_of_the_corpus_match_nothing_overall():
    # Not asked of the held-out set: two of its 56 near misses name a remote-access tool as a
    # topic, which the detector flags on purpose (C-14 warns against those tools).
    negatives = [s for s in SAMPLES if not s.rules]
    flagged = [(s.text, sorted(found(s))) for s in negatives if found(s)]
    assert len(flagged) / len(negatives) <= 0.02, flagged


@pytest.mark.parametrize("sample", [s for s in SAMPLES + HOLDOUT if s.rules & detection.SENSITIVE])
def test_a_masked_sensitive_number_keeps_only_its_last_four_characters(sample):
    hits = [h for h in detection.scan(sample.text) if h.rule in detection.SENSITIVE]
    masked = detection.mask(sample.text, hits)
    for hit in hits:
        clear = "".join(c for c in sample.text[hit.start : hit.end] if c.isalnum())
        shown = "".join(c for c in masked[hit.start : hit.end] if c.isalnum())
        assert shown == clear[-4:]
    assert len(masked) == len(sample.text)


@pytest.mark.parametrize(
    "text",
    [
        "Karte 4111 1111 1111 1111 123",  # the CVV right after it
        "4111111111111111 123",
        "Karte 4111 1111 1111 1111 12/25 CVV 123",  # the expiry date
        "card 4111-1111-1111-1111-9",
    ],
)
def test_a_card_number_followed_by_more_digits_is_still_found_and_masked(text):
    assert detection.rules_of(detection.scan(text)) == ["card_number"]
    assert "1111 1111 1111" not in detection.mask(text)
    assert "111111111111" not in detection.mask(text).replace(" ", "").replace("-", "")


def test_an_excerpt_shows_the_hits_in_context_not_the_whole_text():
    text = "a@b.de " + "lorem ipsum " * 500 + " call 0151 23456789"
    excerpt = detection.excerpt(text, detection.scan(text))
    assert "a@b.de" in excerpt
    assert "0151 23456789" in excerpt
    assert len(excerpt) < 250


def test_two_phone_numbers_written_back_to_back_are_both_found():
    text = "030 1234567 0171 2345678"
    found = [text[h.start : h.end] for h in detection.scan(text)]
    assert found == ["030 1234567", "0171 2345678"]
