"""`python bot.py console`: the bot in a terminal, no Discord and no token.

It holds the same `App` as the Discord bot and sends each line down the same paths: a plain
line is a message a member posted (`intake.message`), `/ask` and `/faq` go through the same
crisis check and search, `/report` is a member's report. The cores deliver through a
`ConsoleChat` that prints what Discord would show (the reply the member gets, the review post
moderators get), so what an admin sees here is what members and moderators get. Without a
database in the settings, the console works on a temporary one in memory.

The event loop runs only while a line is handled, so Ctrl+C works at the prompt, log lines
(on stderr) never land in the middle of one, and `readline` gives line editing and history.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TextIO

from bot.about import about_card
from bot.app import App
from bot.card import Button, Message
from bot.chat import MessageRef
from bot.moderation.model import IncomingMessage
from bot.settings import Settings
from bot.terminal import card_text, message_text
from bot.trials.registry import STATUSES, TREATMENTS
from bot.trials.service import BUTTON

# Stand-ins for the server the console pretends to be.
GUILD_ID = 1
CHANNEL_ID = 2  # where the console user's lines are posted
REVIEW_CHANNEL_ID = 3  # the review channel, when the settings name none
MEMBER_ID = 10  # the console user, a member
OTHER_MEMBER_ID = 11  # whoever `/report` reports
DM_CHANNEL_ID = 4  # the bot's direct messages with the console user

HELP = """\
Type a line and press Enter. Commands:
  /faq               list the FAQ topics
  /faq TOPIC         show an FAQ entry by its name (for example /faq what-are-mscs), or
                     answer a question typed there, as /faq does on Discord
  /ask QUESTION      the FAQ answer that fits a question, as /ask does on Discord
  /report TEXT       report a message saying TEXT (written by another member) to moderators
  /digest            show the latest research digest
  /flags stats       what moderators decided, per category (as moderators see on Discord)
  /trials PLACE      stem-cell trials recruiting near a place, as /trials does on Discord
                     (for example /trials Sheffield, UK km=200 treatment=ahsct status=both);
                     then /trials next or /trials previous to turn the page
  /about             what this bot is
  /help              this list
  /quit              leave (Ctrl+D or Ctrl+C work too)
Anything else is a message you posted in the server: you see what you would be told and what
the moderators' review channel would show."""


class ConsoleChat:
    """A `Chat` that prints what Discord would show, with who would see it."""

    def __init__(self, out: TextIO, review_channel_id: int | None) -> None:
        self.out = out
        self.review_channel_id = review_channel_id
        self._ids = itertools.count(100_000)
        self.reported: set[int] = set()  # messages `/report` made up, written by another member
        self._replies_to_others: set[int] = set()

    def _show(self, heading: str, message: Message) -> MessageRef:
        pings = " (pings the moderator roles)" if message.ping_role_ids else ""
        text = message_text(typed_here(message)).rstrip()
        self.out.write(f"{heading}{pings}:\n" + _indent(text) + "\n\n")
        self.out.flush()
        return MessageRef(0, next(self._ids))

    def _where(self, channel_id: int) -> str:
        if channel_id == self.review_channel_id:
            return "The moderators' review channel would show"
        return f"Channel {channel_id} would show"

    async def post(self, channel_id: int, message: Message) -> MessageRef:
        ref = self._show(self._where(channel_id), message)
        return MessageRef(channel_id, ref.message_id)

    async def reply(self, to: MessageRef, message: Message) -> MessageRef:
        if to.channel_id == CHANNEL_ID and to.message_id in self.reported:
            heading = "The reported member would be told (a reply to their message)"
        elif to.channel_id == CHANNEL_ID:
            heading = "You would be told (a reply to your message)"
        else:
            heading = self._where(to.channel_id) + ", as a reply"
        ref = self._show(heading, message)
        if to.message_id in self.reported:
            self._replies_to_others.add(ref.message_id)
        return MessageRef(to.channel_id, ref.message_id)

    async def direct(self, user_id: int, message: Message) -> MessageRef:
        who = "You would get" if user_id == MEMBER_ID else f"Member {user_id} would get"
        ref = self._show(f"{who} a direct message", message)
        return MessageRef(DM_CHANNEL_ID, ref.message_id)

    async def edit(self, ref: MessageRef, message: Message) -> None:
        if ref.channel_id == CHANNEL_ID and ref.message_id in self._replies_to_others:
            heading = (
                f"Later, the reply to the reported message (post {ref.message_id}) would change to"
            )
        elif ref.channel_id == CHANNEL_ID:
            heading = f"Later, the reply to your message (post {ref.message_id}) would change to"
        elif ref.channel_id == DM_CHANNEL_ID:
            heading = f"Later, your direct message (post {ref.message_id}) would change to"
        else:
            heading = f"{self._where(ref.channel_id)} (post {ref.message_id} updated)"
        self._show(heading, message)

    async def delete(self, ref: MessageRef) -> None:
        self.out.write(f"(post {ref.message_id} in channel {ref.channel_id} deleted)\n")

    async def timeout(self, guild_id: int, user_id: int, until: datetime, reason: str) -> None:
        self.out.write(f"(member {user_id} timed out until {until.isoformat()})\n")

    def missing_permissions(self, channel_id: int, wanted: Sequence[str]) -> tuple[str, ...]:
        return ()  # the console can do everything it shows

    async def find_posted(
        self, channel_id: int, message: Message, since: datetime | None = None
    ) -> MessageRef | None:
        return None  # a terminal keeps no history to search


def console_commands(text: str) -> str:
    """Discord's spelling of a command with its option, as it is typed here."""
    return text.replace("/faq topic:", "/faq ")


def typed_here(message: Message) -> Message:
    """`message` with its commands spelled as the console takes them (before wrapping)."""
    return dataclasses.replace(message, content=console_commands(message.content))


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else "" for line in text.splitlines())


def console_settings(settings: Settings) -> Settings:
    """The settings, with a temporary database and a review channel when none are set."""
    update = {}
    if "path" not in settings.database.model_fields_set:
        update["database"] = settings.database.model_copy(update={"path": ":memory:"})
    if settings.moderation.review_channel_id is None:
        update["moderation"] = settings.moderation.model_copy(
            update={"review_channel_id": REVIEW_CHANNEL_ID}
        )
    return settings.model_copy(update=update)


class Console:
    def __init__(self, app: App, out: TextIO) -> None:
        self.app = app
        self.out = out
        self._ids = itertools.count(1)
        self.commands: dict[str, Callable[[str], Awaitable[None]]] = {
            "/help": self.help,
            "/about": self.about,
            "/faq": self.faq,
            "/ask": self.ask,
            "/report": self.report,
            "/digest": self.digest,
            "/flags": self.flags,
            "/trials": self.trials,
        }
        self._trials_buttons: tuple[Button, ...] = ()

    def say(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()

    def _typed(
        self, text: str, *, author_id: int = MEMBER_ID, origin: str = "message"
    ) -> IncomingMessage:
        return IncomingMessage(
            guild_id=GUILD_ID,
            channel_id=CHANNEL_ID,
            message_id=next(self._ids),
            author_id=author_id,
            content=text,
            origin=origin,
        )

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
        # Whoever runs the console runs the bot: they see what an admin's /about shows.
        self.say(card_text(about_card(self.app, admin=True)))

    async def faq(self, topic: str) -> None:
        if not topic and not self.app.faq.entries():
            self.say(card_text(self.app.faq.search("").card))  # "The FAQ is empty", as on Discord
            return
        if not topic:
            self.say("FAQ topics (type /faq and a name):")
            for entry in self.app.faq.entries():
                self.say(f"  {entry.id:<28} {entry.title}")
            return
        answer = await self.app.intake.faq_topic(self._typed(topic, origin="/faq"))
        self._answer(answer.message, answer.private)

    async def ask(self, question: str) -> None:
        if not question:
            self.say(
                "Type /ask and your question, for example: /ask do MSCs work for progressive MS"
            )
            return
        answer = await self.app.intake.ask(self._typed(question, origin="/ask"))
        self._answer(answer.message, answer.private)

    def _answer(self, message: Message, private: bool) -> None:
        who = "Only you would see this" if private else "The channel would see this"
        self.say(f"({who}.)\n" + message_text(typed_here(message)))

    async def report(self, text: str) -> None:
        if not text:
            self.say("Type /report and the text of the message to report.")
            return
        reported = self._typed(text, author_id=OTHER_MEMBER_ID)
        if isinstance(self.app.chat, ConsoleChat):
            self.app.chat.reported.add(reported.message_id)
        outcome = await self.app.intake.report(reported, MEMBER_ID)
        self.say("(Only you would see this.)\n" + console_commands(outcome.reply or ""))
        await self.app.moderation.handled(reported.message_id)

    async def digest(self, _: str) -> None:
        latest = await self.app.digest.latest()
        if latest is None:
            self.say("No digest has been posted yet.")
            return
        self.say(message_text(latest))

    async def flags(self, rest: str) -> None:
        """The moderators' `/flags stats` (in the console you are the moderator)."""
        if rest.strip() != "stats":
            self.say("Type /flags stats for what moderators decided, per category.")
            return
        self.say("(Only you, a moderator, would see this.)\n")
        self.say(card_text(await self.app.moderation.stats_card()))

    async def trials(self, text: str) -> None:
        """A search, or a page of the last one: the same core calls as Discord's /trials and
        its Previous/Next buttons, so the same text, cards and buttons."""
        if text.lower() in TURNS:
            label = TURNS[text.lower()]
            button = next((b for b in self._trials_buttons if b.label == label), None)
            if button is None or button.disabled:
                self.say(f"There is no {label.lower()} page. Type /trials PLACE to search.")
                return
            message = await self.app.trials.turn(button.custom_id, MEMBER_ID)
        else:
            search = trials_search(text)
            if isinstance(search, str):
                self.say(search)
                return
            place, options = search
            message = await self.app.trials.answer(place, MEMBER_ID, **options)  # type: ignore[arg-type]
        if message is None:  # cannot happen: the console is always the member who asked
            return
        self._trials_buttons = message.buttons
        self.say("(Only you would see this.)\n" + message_text(message))
        # The buttons Discord would show, as the lines to type here.
        turns = [
            f"/trials {b.label.lower()} for page {_page(b) + 1}"
            for b in message.buttons
            if b.label in ("Previous", "Next") and not b.disabled
        ]
        if turns:
            self.say("(Type " + ", or ".join(turns) + ".)")

    async def message(self, text: str) -> None:
        outcome = await self.app.intake.message(self._typed(text))
        if outcome.flag is None:
            self.say("(No flag: moderators would not be alerted by this message.)")


TURNS = {"next": "Next", "previous": "Previous", "prev": "Previous"}


def _page(button: Button) -> int:
    match = BUTTON.fullmatch(button.custom_id)
    return int(match["page"]) if match else 0


def trials_search(text: str) -> tuple[str, dict[str, object]] | str:
    """ "Sheffield, UK km=200 treatment=msc" as the place and /trials' options, or the one
    line saying what to type instead."""
    words, options = [], {}
    choices = {"treatment": sorted(TREATMENTS), "status": sorted(STATUSES)}
    for word in text.split():
        name, equals, value = word.partition("=")
        name, value = name.lower(), value.lower()
        if not equals:
            words.append(word)
        elif name == "km":
            if not value.isdigit():
                return f"km={value} is not a number of kilometres."
            options["km"] = int(value)
        elif name in choices:
            if value not in choices[name]:
                return f"{name}= takes one of: {', '.join(choices[name])}."
            options[name] = value
        else:
            return f"I don't know the option {name!r}: use km=, treatment= or status=."
    if not words:
        return "Type /trials and a place, for example: /trials Sheffield, United Kingdom"
    return " ".join(words), options


def _line_editing() -> None:
    """Arrow keys and history at the prompt, where the platform has readline."""
    try:
        import readline  # noqa: F401  (importing it is what enables it for input())
    except ImportError:
        pass


def run_console(
    settings: Settings, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    interactive = stdin is sys.stdin and stdin.isatty() and out.isatty()
    if interactive:
        _line_editing()
    settings = console_settings(settings)
    with asyncio.Runner() as runner:
        chat = ConsoleChat(out, settings.moderation.review_channel_id)
        app = runner.run(App.open(settings, chat=chat))
        runner.run(app.moderation.tell_model_failure())  # if the model is off, say so first
        console = Console(app, out)
        version = app.faq.version()
        console.say(
            f"MS stem-cell bot, offline console. FAQ: {version.count} entries. "
            "Type /help for commands, /quit to leave.\n"
            "This is general information, not medical advice."
        )
        try:
            while True:
                try:
                    line = input("> ") if interactive else stdin.readline()
                except EOFError:
                    break
                if not line and not interactive:
                    break
                if not runner.run(console.handle(line)):
                    break
        except KeyboardInterrupt:
            out.write("\n")
        finally:
            runner.run(app.close())
    return 0
