"""`/trials` through the fake Discord, against a local ClinicalTrials.gov.

A member types a place and picks it from the list, gets five studies privately with the
caution line, pages with Next and Previous; another member's click is refused, and the
buttons still answer after the bot restarts.
"""

from __future__ import annotations

from typing import Any

from bot.discord.cogs.trials import NOT_YOURS
from bot.trials.service import CAUTION, EXPIRED, UNREACHABLE
from tests.fake_discord.guild import MEMBER_ID, OTHER_MEMBER_ID
from tests.harness import Harness
from tests.trials.fake import FakeRegistry

SHEFFIELD = "Sheffield, United Kingdom"


def buttons(shown: Any) -> dict[str, dict[str, Any]]:
    components = shown["components"] if isinstance(shown, dict) else shown.components
    return {c["label"]: c for row in components for c in row["components"]}


async def start(harness: Harness, registry: FakeRegistry) -> None:
    await harness.start(
        settings={
            "digest": {
                "max_retries": 1,
                "retry_backoff_seconds": 0.01,
                "clinicaltrials": {"base_url": registry.base},
            }
        }
    )


async def first_page(harness: Harness) -> tuple[Any, int]:
    record = await harness.fake.slash("trials", options={"place": SHEFFIELD}, user_id=MEMBER_ID)
    message = await record.wait_original()
    return message, int(message["id"])


async def test_place_autocompletes_cities_with_their_country(
    harness: Harness, trials_registry: FakeRegistry
) -> None:
    await start(harness, trials_registry)
    record = await harness.fake.autocomplete("trials", "place", "sheff", user_id=MEMBER_ID)
    await record.response()
    assert record.choices[0] == {"name": SHEFFIELD, "value": SHEFFIELD}
    record = await harness.fake.autocomplete("trials", "place", "lon", user_id=MEMBER_ID)
    await record.response()
    assert len(record.choices) == 25 and record.choices[0]["name"] == "London, United Kingdom"
    record = await harness.fake.autocomplete("trials", "place", "Deutsch", user_id=MEMBER_ID)
    await record.response()
    assert record.choices == [{"name": "Germany", "value": "Germany"}]


async def test_first_page_next_previous_refusal_and_restart(
    harness: Harness, trials_registry: FakeRegistry
) -> None:
    await start(harness, trials_registry)
    fake = harness.fake
    message, message_id = await first_page(harness)
    assert message["flags"] & (1 << 6), "only the member who asked sees the results"
    assert message["content"].startswith(
        f"7 studies with a recruiting site within 300 km of {SHEFFIELD}, page 1 of 2"
    )
    assert CAUTION in message["content"]
    titles = [e["title"] for e in message["embeds"]]
    assert titles == [
        "Stem cell study at Sheffield",
        "Stem cell study at Leeds",
        "Stem cell study at Nottingham",
        "Stem cell study at Salford",
        "Stem cell study at Birmingham",
    ]
    first = message["embeds"][0]
    assert first["url"] == "https://clinicaltrials.gov/study/NCT10000001"
    fields = {f["name"]: f["value"] for f in first["fields"]}
    assert fields["Nearest site"].startswith("Royal Hallamshire Hospital, Sheffield, United King")
    assert "(recruiting)" in fields["Nearest site"] and fields["Phase"] == "Phase2"
    assert "last updated 2026-11-01" in first["footer"]["text"]
    shown = buttons(message)
    assert shown["Previous"].get("disabled") is True
    next_id = shown["Next"]["custom_id"]
    assert next_id.endswith(f":1:{MEMBER_ID}")

    click = await fake.click(next_id, message_id=message_id, user_id=MEMBER_ID)
    assert (await click.response())["type"] == 7  # the same message, updated in place
    assert [e["title"] for e in click.embeds] == [
        "Stem cell study at Cambridge",
        "Stem cell study at London",
    ]
    assert click.content.startswith("7 studies, page 2 of 2") and CAUTION in click.content
    assert buttons(click)["Next"].get("disabled") is True

    previous_id = buttons(click)["Previous"]["custom_id"]
    refused = await fake.click(previous_id, message_id=message_id, user_id=OTHER_MEMBER_ID)
    await refused.response()
    assert refused.callback["type"] == 4 and refused.ephemeral  # type: ignore[index]
    assert refused.callback["data"]["content"] == NOT_YOURS  # type: ignore[index]
    assert fake.message_store[message_id]["embeds"][0]["title"] == "Stem cell study at Cambridge"

    requests = len(trials_registry.requests)
    await harness.restart()
    later = await fake.click(previous_id, message_id=message_id, user_id=MEMBER_ID)
    assert (await later.response())["type"] == 7
    assert [e["title"] for e in later.embeds] == titles
    assert len(trials_registry.requests) == requests, "the page came from the hour's cache"


async def test_a_country_alone_with_treatment_and_status(
    harness: Harness, trials_registry: FakeRegistry
) -> None:
    await start(harness, trials_registry)
    options = {"place": "UK", "distance_km": 250, "treatment": "ahsct", "status": "both"}
    record = await harness.fake.slash("trials", options=options, user_id=MEMBER_ID)
    message = await record.wait_original()
    assert message["content"].startswith(
        "3 studies (aHSCT) with a recruiting or soon-recruiting site within 250 km of "
        "United Kingdom (measured from London, United Kingdom), page 1 of 1"
    )
    assert trials_registry.requests[-1]["filter.overallStatus"] == "RECRUITING,NOT_YET_RECRUITING"
    shown = buttons(message)
    assert set(shown) == {"Previous", "Next"} and all(b.get("disabled") for b in shown.values())


async def test_unknown_place_and_unreachable_registry_are_one_kind_line(
    harness: Harness, trials_registry: FakeRegistry
) -> None:
    await start(harness, trials_registry)
    fake = harness.fake
    record = await fake.slash("trials", options={"place": "Sheffeld"}, user_id=MEMBER_ID)
    message = await record.wait_original()
    assert message["content"].startswith('I don\'t know a place called "Sheffeld". Did you mean ')
    assert message["embeds"] == [] and message["flags"] & (1 << 6)

    trials_registry.failures = [503, 503]
    record = await fake.slash("trials", options={"place": SHEFFIELD}, user_id=MEMBER_ID)
    message = await record.wait_original()
    assert message["content"] == UNREACHABLE and message["embeds"] == []
    # The bot keeps serving: the next search (registry back) answers.
    message, _ = await first_page(harness)
    assert len(message["embeds"]) == 5


async def test_a_slow_registry_is_deferred_then_answered(
    harness: Harness, trials_registry: FakeRegistry
) -> None:
    await start(harness, trials_registry)
    trials_registry.delay = 1.5  # two pages: over Discord's 3 seconds without a defer
    record = await harness.fake.slash("trials", options={"place": SHEFFIELD}, user_id=MEMBER_ID)
    assert (await record.response())["type"] == 5  # "thinking", privately
    message = await record.wait_original(timeout=10)
    assert message["content"].startswith("7 studies") and len(message["embeds"]) == 5
    assert message["flags"] & (1 << 6)


async def test_a_click_after_the_hour_says_to_search_again(
    harness: Harness, trials_registry: FakeRegistry
) -> None:
    await start(harness, trials_registry)
    message, message_id = await first_page(harness)
    later = harness.app.trials.clock() + 3600
    harness.app.trials.clock = lambda: later
    await harness.app.job("trials-cache-purge").run()
    click = await harness.fake.click(
        buttons(message)["Next"]["custom_id"], message_id=message_id, user_id=MEMBER_ID
    )
    assert (await click.response())["type"] == 7
    assert click.content == EXPIRED
    assert click.embeds == [] and click.components == []  # stale results and buttons go
