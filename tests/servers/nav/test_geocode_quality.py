"""The geocoder measured on its labelled set (``geocode_cases.py``): confident answers must be right, and a chain, a
category, a near-tie or nothing at all must come back as such, never as *the* answer.

The set runs on the service directly (about 280 queries in well under a second); ``test_tools.py`` checks the same
behaviour through the protocol on a handful. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from servers.nav.backend.service import NavService
from shared.schemas.common import GeoPoint
from shared.schemas.nav import GeocodeResult
from tests.servers.nav.conftest import NavEnv
from tests.servers.nav.geocode_cases import AMBIGUOUS, CASES, NOT_FOUND, Case, expected_ids, rows


def answer(result: GeocodeResult) -> str:
    top = result.candidates[0]
    return top.id if top.kind not in ("street", "district") else f"{top.kind}:{top.name}"


@dataclass
class Scorecard:
    size: int
    answerable: int
    confident: int
    confident_right: int
    confident_wrong: list[str]
    top1_right: int
    must_flag: int
    flagged: int
    mishandled: list[str]
    by_group: Counter[str]

    @property
    def precision(self) -> float:
        return self.confident_right / self.confident if self.confident else 1.0

    @property
    def coverage(self) -> float:
        return self.confident_right / self.answerable

    @property
    def top1(self) -> float:
        return self.top1_right / self.answerable

    def report(self) -> str:
        groups = ", ".join(f"{g} {n}" for g, n in sorted(self.by_group.items()))
        return (
            f"geocoder labelled set: {self.size} queries ({groups})\n"
            f"  answerable {self.answerable}: confident {self.confident_right} right, {len(self.confident_wrong)} "
            f"wrong; precision of confident answers {self.precision:.3f}; answered confidently {self.coverage:.3f}; "
            f"top candidate right (any status) {self.top1:.3f}\n"
            f"  must be ambiguous or not found {self.must_flag}: flagged {self.flagged}; confident among all "
            f"{self.confident}"
        )


def run(svc: NavService) -> tuple[Scorecard, list[tuple[Case, GeocodeResult]]]:
    results: list[tuple[Case, GeocodeResult]] = []
    for case in CASES:
        near = None
        if case.near is not None:
            spot = rows(case.near)[0]
            near = GeoPoint(lat=spot["lat"], lng=spot["lng"])
        results.append((case, svc.geocode(case.query, 5, near, user_id=case.user)))
    card = Scorecard(len(CASES), 0, 0, 0, [], 0, 0, 0, [], Counter(c.group for c in CASES))
    for case, got in results:
        line = f"{case.query!r} → {got.status} {[c.name for c in got.candidates[:3]]}"
        if got.status == "confident":
            card.confident += 1
        if isinstance(case.expect, str):
            card.must_flag += 1
            category_ok = not case.category or (got.candidates and all(c.category == case.category
                                                                        for c in got.candidates))  # fmt: skip
            if got.status == case.expect and category_ok:
                card.flagged += 1
            else:
                card.mishandled.append(f"{line}, expected {case.expect} {case.category}")
            if got.status == "confident":
                card.confident_wrong.append(f"{line}, expected {case.expect}")
            continue
        card.answerable += 1
        want = expected_ids(case)
        right = bool(got.candidates) and answer(got) in want
        card.top1_right += right
        if got.status == "confident":
            if right:
                card.confident_right += 1
            else:
                card.confident_wrong.append(f"{line}, expected {sorted(want)}")
    return card, results


def test_the_labelled_set_is_large_and_every_answer_is_a_fixture_row() -> None:
    assert len(CASES) >= 150
    groups = Counter(c.group for c in CASES)
    for group in ("local name", "English", "Swedish", "Chinese", "misspelling", "address", "street", "stop", "saved",
                  "category", "chain", "tie", "nothing"):  # fmt: skip
        assert groups[group] >= 4, group
    assert sum(isinstance(c.expect, str) for c in CASES) >= 50  # plenty that must not be answered
    for case in CASES:
        if not isinstance(case.expect, str):
            assert expected_ids(case)
        else:
            assert case.expect in (AMBIGUOUS, NOT_FOUND)


def test_confident_answers_are_right_and_ambiguity_is_reported(nav: NavEnv) -> None:
    card, _ = run(nav.app.state.service)
    print("\n" + card.report())
    assert card.confident_wrong == [], card.report()
    assert card.mishandled == [], card.report()
    assert card.precision >= 0.95, card.report()
    assert card.top1 >= 0.95, card.report()
    assert card.coverage >= 0.9, card.report()
