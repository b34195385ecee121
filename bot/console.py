"""`python bot.py console`: the bot in a terminal, no Discord and no token.

It holds the same `App` as the Discord bot and calls the same services, so what an admin sees
here (an FAQ answer, an abstention, what moderators would be shown for a message) is what
members and moderators get on Discord.
"""

from __future__ import annotations

import asyncio
import re
import sys
import textwrap
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.about import about_card
from bot.app import App
from bot.card import Card
from bot.settings import Settings

CONSOLE_USER_ID = 1  # stands in for "a member" in stored queries and feedback

HELP = """\
Commands:
  /faq               list the FAQ topics
  /faq ID            show one FAQ entry (for example /faq what-are-mscs)
  /ask QUESTION      find the FAQ answer to a question, as /ask does on Discord
  /digest            show the latest research digest
  /about             what this bot is
  /help              this list
  /quit              leave (Ctrl+D works too)
Anything else is treated as a message posted in the server: you see what the member would be
told and what the moderators' review channel would show."""

_LINK = re.compile(r"\[([^\]]+)\]\((<?)([^)>]+)>?\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def render(card: Card, width: int = 88) -> str:
    """A card as plain terminal text: Markdown links spelled out, emphasis dropped."""
    lines = [card.title, "=" * min(len(card.title), width)]
    if card.description:
        lines += [_wrap(card.description, width), ""]
    for field in card.fields:
        lines += [f"{field.name}:", _wrap(field.value, width, indent="  "), ""]
    if card.footer:
        lines.append(f"-- {card.footer}")
    return "\n".join(lines).rstrip() + "\n"


def _plain(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(1)} <{m.group(3)}>", text)
    return _BOLD.sub(lambda m: m.group(1) or m.group(2), text)


def _wrap(text: str, width: int, indent: str = "") -> str:
    out = []
    for paragraph in _plain(text).splitlines():
        if not paragraph.strip():
            out.append("")
            continue
        bullet = re.match(r"\s*([-*•]|\d+\.)\s+", paragraph)
        hanging = indent + (" " * len(bullet.group(0)) if bullet else "")
        out.append(
            textwrap.fill(paragraph, width, initial_indent=indent, subsequent_indent=hanging)
        )
    return "\n".join(out)


class Console:
    def __init__(self, app: App, out: TextIO) -> None:
        self.app = app
        self.out = out
        self.commands: dict[str, Callable[[str], Awaitable[None]]] = {
            "/help": self.help,
            "/about": self.about,
            "/faq": self.faq,
            "/ask": self.ask,
            "/digest": self.digest,
        }

    def say(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()

    async def handle(self, line: str) -> bool:
        """Handle one line; False means the user asked to leave."""
        line = line.strip()
        if not line:
            return True
        if line in {"/quit", "/exit", "/q"}:
            return False
        word, _, rest = line.partition(" ")
        command = self.commands.get(word.lower()) if word.startswith("/") else None
        if word.startswith("/") and command is None:
            self.say(f"I don't know {word}. Type /help for the commands.")
        elif command is not None:
            await command(rest.strip())
        else:
            await self.message(line)
        return True

    async def help(self, _: str) -> None:
        self.say(HELP)

    async def about(self, _: str) -> None:
        self.say(render(about_card(self.app)))

    async def faq(self, topic: str) -> None:
        faq = self.app.faq
        if not faq.entries():
            self.say(render(faq.search(topic).card))  # "The FAQ is empty", as on Discord
            return
        if not topic:
            self.say("FAQ topics (use /faq ID):")
            for entry in faq.entries():
                self.say(f"  {entry.id:<28} {entry.title}")
            return
        if faq.get(topic) is None:
            choices = faq.autocomplete(topic)
            if not choices:
                self.say(f"No FAQ topic matches {topic!r}. Type /faq to list them.")
                return
            _, topic = choices[0]
            self.say(f"(closest topic: {topic})")
        self.say(render(faq.answer_card(topic)))

    async def ask(self, question: str) -> None:
        if not question:
            self.say("Usage: /ask QUESTION, for example /ask do MSCs work for progressive MS")
            return
        result = await self.app.faq.ask(question, user_id=CONSOLE_USER_ID)
        self.say(render(result.card))

    async def digest(self, _: str) -> None:
        latest = await self.app.digest.latest()
        if latest is None:
            self.say("No digest has been posted yet.")
            return
        if latest.content:
            self.say(latest.content)
        for card in latest.cards:
            self.say(render(card))

    async def message(self, text: str) -> None:
        moderation = self.app.moderation
        detection = moderation.classify(text)
        if detection.category == "none":
            self.say("(No flag: moderators would not be alerted by this message.)")
            return
        reply = moderation.preview_reply(text)
        if reply:
            self.say("The member would be told:\n" + _wrap(reply, 88, indent="  ") + "\n")
        card = moderation.preview(text)
        if card is not None:
            self.say("The moderators' review channel would show:\n" + render(card))


async def run_console(
    settings: Settings, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    app = await App.open(settings)
    try:
        console = Console(app, out)
        interactive = stdin.isatty()
        version = app.faq.version()
        console.say(
            f"MS stem-cell bot, offline console. FAQ: {version.count} entries. "
            "Type /help for commands, /quit to leave.\n"
            "This is general information, not medical advice."
        )
        while True:
            if interactive:
                out.write("> ")
                out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            if not await console.handle(line):
                break
    finally:
        await app.close()
    return 0
