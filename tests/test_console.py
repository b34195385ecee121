"""`python bot.py console` as an admin uses it: same answers and flags as on Discord."""

from __future__ import annotations

import asyncio
import io
import shutil
from pathlib import Path

from bot.console import run_console
from bot.moderation import replies
from bot.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]


async def converse(tmp_path: Path, *lines: str) -> str:
    shutil.copytree(ROOT / "faq", tmp_path / "faq")
    config = tmp_path / "settings.toml"
    config.write_text(f'[faq]\ndirectory = "{(tmp_path / "faq").as_posix()}"\nwatch = false\n')
    return await typed_into_console(load_settings(config), *lines)


async def typed_into_console(settings: Settings, *lines: str) -> str:
    """What the console prints for `lines` (it runs its own event loop, so in a thread)."""
    out = io.StringIO()
    stdin = io.StringIO("\n".join(lines) + "\n")
    status = await asyncio.to_thread(run_console, settings, stdin, out)
    assert status == 0
    return out.getvalue()


async def test_faq_and_ask_render_answers_with_sources(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/faq what-are-mscs", "/ask what do aHSCT risks look like")
    assert "What are mesenchymal stem cells (MSCs)?" in text
    assert "Sources:" in text and "https://doi.org/" in text
    assert "Checked against sources on 20" in text or "Reviewed by " in text
    assert "](" not in text  # Markdown links are spelled out for the terminal


async def test_out_of_scope_question_abstains(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/ask how do i change my nickname on this server")
    assert "I don't have a good answer" in text


async def test_plain_messages_show_what_moderators_and_member_would_see(tmp_path: Path) -> None:
    text = await converse(
        tmp_path,
        "should I stop my ocrevus before going to mexico for stem cells?",
        "what are MSCs?",
    )
    assert "The moderators' review channel would show:" in text
    assert "neurologist" in text  # the gentle reply points to their own clinicians
    assert text.count("No flag") == 1
    assert not (tmp_path / "msbot.sqlite3").exists()  # no database configured: a temporary one


async def test_a_crisis_typed_into_ask_gets_resources_and_alerts_moderators(
    tmp_path: Path,
) -> None:
    text = await converse(tmp_path, "/ask i want to end it all tonight")
    assert "988" in text and "I don't have a good answer" not in text
    assert "The moderators' review channel would show:" in text
    assert "Typed into /ask" in text


async def test_an_advice_request_in_ask_gets_the_answer_and_a_gentle_note(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/ask should i have aHSCT, what are the risks for me?")
    flat = " ".join(text.split())
    assert "can't give personal medical advice" in flat and "Sources:" in text
    assert "review channel" not in text  # advice in /ask alerts no one


async def test_faq_free_text_is_answered_as_on_discord(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/faq weather tomorrow")
    assert "I don't have a good answer" in text  # not the closest topic's entry
    assert "`" not in text  # no Discord syntax in the terminal


async def test_report_shows_thanks_and_the_review_post(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/report DM me for cheap stem cells from Cancun")
    assert "Thank you for telling us." in text
    assert "Reported by a member" in text


async def test_unknown_command_and_quit(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/bogus", "/quit", "/faq what-are-mscs")
    assert "I don't know /bogus" in text
    assert "What are mesenchymal stem cells" not in text  # nothing after /quit


async def test_an_empty_faq_folder_is_reported_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "faq").mkdir()
    config = tmp_path / "settings.toml"
    config.write_text('[faq]\ndirectory = "faq"\nwatch = false\n', encoding="utf-8")
    text = await typed_into_console(load_settings(config), "/faq", "/ask what are MSCs", "/quit")
    assert text.count("The FAQ is empty") == 2


async def test_a_crisis_message_shows_the_reply_then_its_update_once_moderators_know(
    tmp_path: Path,
) -> None:
    text = await converse(tmp_path, "I can't do this anymore, I have the pills in front of me")
    told = replies.CRISIS_TOLD
    reply = text.index("You would be told (a reply to your message):")
    review = text.index("The moderators' review channel would show")
    update = text.index("Later, the reply to your message")
    assert reply < review < update  # as on Discord: the reply, the alert, then the edit
    flat = " ".join(text.split())
    assert "13 11 14" in flat and "1737" in flat and "moderators" not in text[reply:review]
    assert " ".join(told.split()) in " ".join(text[update:].split())


async def test_crisis_reply_dm_in_the_console_shows_the_dm_and_the_public_line(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "faq", tmp_path / "faq")
    config = tmp_path / "settings.toml"
    config.write_text(
        f'[faq]\ndirectory = "{(tmp_path / "faq").as_posix()}"\nwatch = false\n'
        '[moderation]\ncrisis_reply = "dm"\n'
    )
    text = await typed_into_console(load_settings(config), "i want to end it all tonight")
    flat = " ".join(text.split())
    assert "You would get a direct message:" in text and "988" in flat
    assert " ".join(replies.CRISIS_PUBLIC.split()) in flat
    assert "Later, your direct message" in text


async def test_the_advice_reply_names_the_console_command_that_opens_the_entry(
    tmp_path: Path,
) -> None:
    asked = "should I get aHSCT for my MS? what are the risks of aHSCT for someone like me"
    text = await converse(tmp_path, asked)
    flat = " ".join(text.split())
    assert "(type /faq risks-and-side-effects to open it)" in flat and "topic:" not in flat
    assert "family doctor (GP)" in flat


async def test_the_promotion_reply_names_the_console_command_for_the_warning_signs(
    tmp_path: Path,
) -> None:
    offer = "Our clinic offers MSC packages from $15,000. WhatsApp me +52 998 123 4567"
    text = await converse(tmp_path, offer)
    flat = " ".join(text.split())
    assert "This looks like an offer of a stem-cell treatment." in flat
    assert "More in /faq unproven-clinics." in flat and "topic:" not in flat


async def test_a_reported_crisis_shows_the_authors_reply_and_the_reporters_thanks(
    tmp_path: Path,
) -> None:
    text = await converse(tmp_path, "/report I can't do this anymore, I have the pills right here")
    flat = " ".join(text.split())
    assert " ".join(replies.REPORT_CRISIS.split()) in flat
    assert "The reported member would be told (a reply to their message):" in text
    assert "Later, the reply to the reported message" in text
    assert "You would be told" not in text  # the console user wrote nothing to reply to


async def test_flags_stats_shows_the_moderators_table(tmp_path: Path) -> None:
    text = await converse(
        tmp_path, "/report this whole thread is rubbish and so are all of you", "/flags stats"
    )
    table = text[text.index("Flags: what moderators decided") :]
    assert "Last 7 days" in table and "Last 30 days" in table and "```" not in table
    cells = [line.split() for line in table.splitlines()]
    rows = [row for row in cells if row[:1] == ["member-report"]]
    assert rows == [["member-report", "1", "0", "0", "—", "—"]] * 2
    crisis = [row for row in cells if row[:1] == ["crisis"]]
    assert crisis == [["crisis", "0", "0", "0", "0", "—"]] * 2


async def test_flags_without_stats_says_what_to_type(tmp_path: Path) -> None:
    text = await converse(tmp_path, "/flags")
    assert "Type /flags stats" in text


async def trials_console(tmp_path: Path, registry_base: str, *lines: str) -> str:
    shutil.copytree(ROOT / "faq", tmp_path / "faq")
    config = tmp_path / "settings.toml"
    config.write_text(
        f'[faq]\ndirectory = "{(tmp_path / "faq").as_posix()}"\nwatch = false\n'
        f"[digest]\nmax_retries = 1\nretry_backoff_seconds = 0.01\n"
        f'[digest.clinicaltrials]\nbase_url = "{registry_base}"\n'
    )
    return await typed_into_console(load_settings(config), *lines)


async def test_trials_shows_a_page_and_how_to_turn_it(tmp_path: Path, trials_registry) -> None:
    text = await trials_console(
        tmp_path, trials_registry.base, "/trials Sheffield, UK", "/trials next", "/trials next"
    )
    first, second = text.split("(Only you would see this.)")[1:]
    assert first.lstrip().startswith(
        "7 studies with a recruiting site within 300 km of Sheffield, United Kingdom, page 1 of 2"
    )
    assert "Stem cell study at Sheffield <https://clinicaltrials.gov/study/NCT10000001>" in first
    assert "Being listed on ClinicalTrials.gov is not a check of a study" in first
    assert "Buttons: [Next]" in first and "(Type /trials next for page 2.)" in first
    assert "7 studies, page 2 of 2" in second and "Stem cell study at London" in second
    assert "(Type /trials previous for page 1.)" in second
    assert second.rstrip().endswith("There is no next page. Type /trials PLACE to search.")
    assert "`" not in text  # no Discord syntax in the terminal


async def test_trials_options_and_mistakes_are_one_line(tmp_path: Path, trials_registry) -> None:
    text = await trials_console(
        tmp_path,
        trials_registry.base,
        "/trials UK km=250 treatment=ahsct status=both",
        "/trials Sheffield km=far",
        "/trials Sheffeld",
        "/trials",
    )
    assert "3 studies (aHSCT) with a recruiting or soon-recruiting site within 250 km" in text
    assert "km=far is not a number of kilometres." in text
    assert 'I don\'t know a place called "Sheffeld". Did you mean "Sheffield, United King' in text
    assert "Type /trials and a place" in text
