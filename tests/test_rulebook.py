"""Rulebook: indexes, matching seam, derived rulebooks, JSON and pickle round-trips."""

from __future__ import annotations

import datetime
import json
import pickle
from typing import Any

import pytest

from tests.conftest import build, party, transaction
from tradecontrol import (
    DataError,
    License,
    Listing,
    Outcome,
    Rulebook,
    UnknownLicenseError,
    evaluate,
)

EXTRA_LISTING: dict[str, Any] = {
    "id": "internal-1",
    "list_code": "EL",
    "authority": "US-BIS",
    "entity": {"name": "Lotus Electronics Trading Ltd.", "country": "CN"},
    "versions": [
        {
            "window": {"start": "2019-01-01"},
            "license_requirement": {"scope": "all_items_subject_to_ear", "text": "All items."},
            "review_policy": "case_by_case",
            "citations": ["INTERNAL 1"],
        }
    ],
}


def test_default_is_cached_and_immutable(rulebook: Rulebook) -> None:
    assert Rulebook.default() is rulebook
    with pytest.raises(AttributeError):
        rulebook.version = "x"  # type: ignore[misc]


def test_json_round_trip(rulebook: Rulebook) -> None:
    again = Rulebook.from_dict(json.loads(json.dumps(rulebook.to_dict())))
    assert again == rulebook
    assert again.match_entity_name("Huawei") == rulebook.match_entity_name("Huawei")


def test_pickle_round_trip_keeps_indexes(rulebook: Rulebook) -> None:
    again = pickle.loads(pickle.dumps(rulebook))
    assert again == rulebook
    assert [m.listing.id for m in again.match_entity_name("Huawei")] == [
        m.listing.id for m in rulebook.match_entity_name("Huawei")
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd. (Huawei)"),
        ("HUAWEI TECHNOLOGIES CO., LIMITED", "Huawei Technologies Co., Ltd. (Huawei)"),
        ("huawei technologies company limited", "Huawei Technologies Co., Ltd. (Huawei)"),
        ("Huawei", "Huawei Technologies Co., Ltd. (Huawei)"),
        ("Shenzhen Huawei Technologies", "Shenzhen Huawei Technologies"),
        ("Huawei Technologies Japan KK", "Huawei Technologies Japan K.K."),
        ("Huawei Technologies Japan Kabushiki Kaisha", "Huawei Technologies Japan K.K."),
        (
            "HiSilicon Technologies Co., Ltd.",
            "HiSilicon Technologies Co., Ltd (HiSilicon), Bantian Longgang District",
        ),
        ("HiSilicon", "HiSilicon Technologies Co., Ltd (HiSilicon), Bantian Longgang District"),
    ],
)
def test_exact_normalised_matching(query: str, expected: str, rulebook: Rulebook) -> None:
    matches = rulebook.match_entity_name(query)
    assert matches, query
    assert matches[0].matched_name == expected


@pytest.mark.parametrize("query", ["Hauwei Technolgies Co Ltd", "Huawei Device Co", "ZTE", ""])
def test_no_fuzzy_matches_in_this_release(query: str, rulebook: Rulebook) -> None:
    assert rulebook.match_entity_name(query) == ()


def test_with_listings_adds_and_changes_the_version(rulebook: Rulebook) -> None:
    wider = rulebook.with_listings([Listing.from_dict(EXTRA_LISTING)])
    assert wider.version != rulebook.version and wider.version.startswith(rulebook.version + "+")
    assert len(wider.listings) == len(rulebook.listings) + 1
    data = transaction(
        "2019-06-10",
        parties=[
            {"role": "ultimate_consignee", "entity": {"name": "LOTUS ELECTRONICS TRADING LIMITED"}}
        ],
    )
    assert evaluate(build(data), rulebook).outcome is Outcome.NOT_RESTRICTED
    decision = evaluate(build(data), wider)
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    assert decision.rulebook.version == wider.version
    assert decision.findings[0].review_policy is not None
    assert decision.findings[0].review_policy.value == "case_by_case"


def test_duplicate_ids_are_refused(rulebook: Rulebook) -> None:
    listing = Listing.from_dict(EXTRA_LISTING)
    with pytest.raises(DataError, match="given twice") as caught:
        rulebook.with_listings([listing, listing])
    assert (
        str(caught.value)
        == f"listings[1]: listing id {listing.id!r} given twice (also at listings[0])"
    )
    with pytest.raises(DataError, match="already in the rulebook") as caught:
        rulebook.with_listings([listing]).with_listings([listing])
    assert caught.value.path == "listings[0]"
    data = rulebook.to_dict()
    data["listings"].append(data["listings"][0])
    with pytest.raises(DataError, match="duplicate listing id") as caught:
        Rulebook.from_dict(data)
    assert f"listings[{len(data['listings']) - 1}]" in str(caught.value)
    assert "(also at listings[0])" in str(caught.value)


def test_many_listings_with_one_name_are_all_indexed(rulebook: Rulebook) -> None:
    """The name index keeps every listing of a shared name (once each)."""
    same = [
        Listing.from_dict({**EXTRA_LISTING, "id": f"same-{i}", "entity": {"name": "One Name"}})
        for i in range(300)
    ]
    wider = rulebook.with_listings(same)
    found = wider.match_entity_name("One Name")
    assert sorted(m.listing.id for m in found) == sorted(x.id for x in same)


def test_unknown_licence_lookup(rulebook: Rulebook) -> None:
    with pytest.raises(UnknownLicenseError):
        rulebook.license("NOPE")
    assert isinstance(rulebook.license("TGL-744-SUPP7-C1"), License)


def test_a_transaction_naming_an_unknown_licence_needs_review(rulebook: Rulebook) -> None:
    data = transaction("2019-05-10", licenses=["D999"])
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is Outcome.REVIEW_REQUIRED
    assert "D999" in decision.findings[0].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "pickle"}, "not a rulebook"),
        ({"format": "tradecontrol.rulebook", "format_version": 99}, "not supported"),
        (
            {
                "format": "tradecontrol.rulebook",
                "format_version": 1,
                "id": "x",
                "version": "1",
                "snapshot": "2019-13-01",
            },
            "ISO 8601",
        ),
    ],
)
def test_bad_rulebook_files(data: dict[str, Any], message: str) -> None:
    with pytest.raises(DataError, match=message):
        Rulebook.from_dict(data)


def test_foreign_made_items_abroad_need_review(rulebook: Rulebook) -> None:
    """De minimis is not decided yet: fail closed rather than clear."""
    data = transaction("2019-06-10", origin="DE", items=[{"eccn": "EAR99", "origin": "DE"}])
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is Outcome.REVIEW_REQUIRED
    assert "de minimis" in decision.findings[0].message


def test_us_origin_items_abroad_are_subject(rulebook: Rulebook) -> None:
    data = transaction("2019-06-10", origin="DE", items=[{"eccn": "EAR99", "origin": "US"}])
    decision = evaluate(build(data), rulebook)
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    assert "15 CFR 734.3(a)(2)" in decision.findings[0].citations


def test_listed_party_without_items_needs_review(rulebook: Rulebook) -> None:
    decision = evaluate(build(transaction("2019-06-10", items=[])), rulebook)
    assert decision.outcome is Outcome.REVIEW_REQUIRED


@pytest.mark.parametrize("kind", ["import", "payment", "service"])
def test_entity_list_does_not_reach_imports_or_payments(kind: str, rulebook: Rulebook) -> None:
    decision = evaluate(build(transaction("2019-06-10", kind=kind)), rulebook)
    assert decision.outcome is Outcome.NOT_RESTRICTED
    assert not [f for f in decision.findings if f.rule.startswith("ear.")]
    assert decision.rules_checked[0] == "ear.entity_list"
    assert "lists.unassessed" in decision.rules_checked
    assert decision.rules_checked[-1] == "screening.review"


def test_a_failing_rule_fails_closed(monkeypatch: pytest.MonkeyPatch, rulebook: Rulebook) -> None:
    import tradecontrol.evaluation as ev

    def broken(*_: object) -> tuple[()]:
        raise RuntimeError("boom")

    monkeypatch.setattr(ev, "RULES", (("ear.entity_list", broken),))
    decision = evaluate(build(transaction("2019-05-10")), rulebook)
    assert decision.outcome is Outcome.REVIEW_REQUIRED
    assert "boom" in decision.findings[0].message


def test_every_party_role_counts(rulebook: Rulebook) -> None:
    for role in (
        "purchaser",
        "intermediate_consignee",
        "end_user",
        "freight_forwarder",
        "exporter",
        "other",
    ):
        data = transaction(
            "2019-06-10",
            parties=[{"role": role, "entity": {"name": "Huawei Technologies Co., Ltd."}}],
        )
        decision = evaluate(build(data), rulebook)
        assert decision.outcome is Outcome.LICENSE_REQUIRED, role
        assert decision.findings[0].party_role == role


def test_decision_cautions(rulebook: Rulebook) -> None:
    data = transaction("2023-01-05", end_use="smuggling", facts={"contractDate": "2019-01-01"})
    cautions = evaluate(build(data), rulebook).cautions
    assert any("after the rulebook snapshot 2022-05-05" in c for c in cautions)
    assert any("contractDate" in c for c in cautions)
    assert any("end use 'smuggling'" in c for c in cautions)
    clean = transaction(
        "2019-06-10", end_use="general-commercial", facts={"contract_date": "2019-01-01"}
    )
    assert evaluate(build(clean), rulebook).cautions == ()


def test_evaluate_rejects_wrong_argument_types(rulebook: Rulebook) -> None:
    from tradecontrol import InvalidInputError

    t = build(transaction("2019-05-17"))
    with pytest.raises(InvalidInputError) as info:
        evaluate({"id": "x"}, rulebook)  # type: ignore[arg-type]
    assert info.value.path == "transaction"
    with pytest.raises(InvalidInputError) as info:
        evaluate(t, {})  # type: ignore[arg-type]
    assert info.value.path == "rulebook"
    with pytest.raises(InvalidInputError) as info:
        evaluate(t, rulebook, as_of="2019-13-17")
    assert info.value.path == "as_of"
    with pytest.raises(InvalidInputError) as info:
        evaluate(t, rulebook, as_of=20190517)  # type: ignore[arg-type]
    assert info.value.path == "as_of"
    with pytest.raises(InvalidInputError) as info:
        evaluate(t, rulebook, as_of="2019-05-17T10:00:00")  # naive: no time zone
    assert info.value.path == "as_of"


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2019-05-17", datetime.date(2019, 5, 17)),
        ("2019-05-16", datetime.date(2019, 5, 16)),
        (
            "2019-05-16T23:00:00-04:00",
            datetime.datetime(
                2019, 5, 16, 23, tzinfo=datetime.timezone(datetime.timedelta(hours=-4))
            ),
        ),
    ],
)
def test_evaluate_takes_iso_text_as_of(rulebook: Rulebook, text: str, moment: Any) -> None:
    """ISO text decides as the date or datetime it names (as evaluate_many and --as-of)."""
    t = build(transaction("2019-05-17", parties=[party("Huawei Technologies Co., Ltd.")]))
    assert evaluate(t, rulebook, as_of=text) == evaluate(t, rulebook, as_of=moment)


def test_licence_exceptions_are_unavailable_for_the_entity_list(rulebook: Rulebook) -> None:
    """15 CFR 744.16(b): a licence exception never authorizes an Entity List requirement."""
    exception = License.from_dict(
        {
            "id": "TSU",
            "kind": "exception",
            "issuer": "US-BIS",
            "title": "License Exception TSU",
            "authorizes": ["ear.entity_list"],
            "versions": [{"window": {"start": "2000-01-01"}}],
        }
    )
    decision = evaluate(build(transaction("2019-06-10")), rulebook.with_licenses([exception]))
    assert decision.outcome is Outcome.LICENSE_REQUIRED
    assert all(m.license_id != "TSU" for f in decision.findings for m in f.near_misses)
    general = attrs_evolve_kind(exception, "general")
    assert (
        evaluate(build(transaction("2019-06-10")), rulebook.with_licenses([general])).outcome
        is Outcome.AUTHORIZED
    )


def attrs_evolve_kind(lic: License, kind: str) -> License:
    return License.from_dict({**lic.to_dict(), "kind": kind})


def test_a_match_on_a_list_no_rule_assesses_needs_review(rulebook: Rulebook) -> None:
    """Fail closed: a UN (or internal...) match is never cleared by silence."""
    sdn = Listing.from_dict(
        {
            **EXTRA_LISTING,
            "id": "un-1",
            "list_code": "UN",
            "authority": "UN",
            "entity": {"name": "Banco Nacional de Cuba", "country": "CU"},
            "versions": [{"window": {}, "note": "listing date not stated in the source"}],
        }
    )
    wider = rulebook.with_listings([sdn])
    for kind in ("export", "payment"):
        data = transaction("2021-06-01", kind=kind, parties=[party("BANCO NACIONAL DE CUBA")])
        decision = evaluate(build(data), wider)
        assert decision.outcome is Outcome.REVIEW_REQUIRED
        finding = decision.findings[0]
        assert (finding.rule, finding.authority, finding.listing_id) == (
            "lists.unassessed",
            "UN",
            "un-1",
        )
        assert "no rule of this version assesses" in finding.message
    unlisted = transaction("2021-06-01", parties=[party("Banco Popular")])
    assert evaluate(build(unlisted), wider).outcome is Outcome.NOT_RESTRICTED


def test_an_sdn_match_is_assessed_by_the_ofac_rule(rulebook: Rulebook) -> None:
    """Since the OFAC rule reads list code SDN, lists.unassessed no longer reports it."""
    sdn = Listing.from_dict(
        {
            **EXTRA_LISTING,
            "id": "us-sdn-1",
            "list_code": "SDN",
            "authority": "US-OFAC",
            "entity": {"name": "Banco Nacional de Cuba", "country": "CU"},
            "versions": [{"window": {}}],
        }
    )
    wider = rulebook.with_listings([sdn])
    assert "SDN" in wider.assessed_list_codes
    data = transaction("2021-06-01", kind="payment", parties=[party("BANCO NACIONAL DE CUBA")])
    decision = evaluate(build(data), wider)
    assert decision.outcome is Outcome.PROHIBITED
    assert [f.rule for f in decision.findings] == ["ofac.fifty_percent"]


def test_a_listing_without_a_start_date_is_in_force_with_a_caution() -> None:
    """CSL rows without ``start_date`` (e.g. CMIC) count as in force; the Decision says so."""
    import tradecontrol as tc

    undated = tc.Listing.from_dict(
        {
            "id": "cmic-1",
            "list_code": "CMIC",
            "authority": "US-OFAC",
            "entity": {"name": "Undated Holdings Ltd"},
            "versions": [{"window": {}}],
        }
    )
    dated = tc.Listing.from_dict(
        {
            "id": "cmic-2",
            "list_code": "CMIC",
            "authority": "US-OFAC",
            "entity": {"name": "Dated Holdings Ltd"},
            "versions": [{"window": {"start": "2019-01-01"}}],
        }
    )
    rb = tc.Rulebook.default().with_listings([undated, dated])

    def decide(name: str) -> tc.Decision:
        return tc.evaluate(
            tc.Transaction.from_dict(
                {
                    "id": "x",
                    "date": "2019-06-01",
                    "origin": "US",
                    "destination": "CN",
                    "parties": [{"role": "end_user", "entity": {"name": name}}],
                    "items": [{"description": "x", "eccn": "EAR99"}],
                }
            ),
            rb,
        )

    first = decide("Undated Holdings Ltd")
    assert first.outcome is tc.Outcome.REVIEW_REQUIRED
    assert any("no listing date for cmic-1 (CMIC)" in c for c in first.cautions)
    assert not any("no listing date" in c for c in decide("Dated Holdings Ltd").cautions)
