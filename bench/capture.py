"""The capture benchmark: a 50 MB mbox and a calendar of 20,000 events, read by handful.

    python bench/capture.py                      # table on stdout
    python bench/capture.py --mbox-mb 5 --events 2000 --json out.json   # a quick pass

Generates (seeded, so the same files every time) a Google-style calendar with recurring series,
declines, cancellations and conferencing links, an mbox of threads, mailing lists and replies with
full headers and bodies, and a vault of person notes whose addresses match some of their people.
The exports live *outside* the vault (allowed in a temporary user config), as they would. Then:

- **first read**: every export parsed, nothing cached (``read_all`` on an empty cache);
- **unchanged read**: the same with the cache warm: each export is a stat and a cache row;
- **stat only**: what a refresh's stamp looks at (``inputs``);
- **refresh cold / refresh unchanged**: ``handful refresh`` in a fresh process, cache empty, then
  again with nothing changed (the stamp: notes and exports stat-ed, nothing read);
- **refresh after a mail**: one message appended to the mbox, ``handful refresh`` again;
- with ``--naive``, the calendar read the obvious way (icalendar, x-wr-timezone and
  recurring-ical-events over the whole file), for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from run import compile_handful, handful, timed  # noqa: E402

DAY = dt.date(2026, 11, 25)
START = dt.datetime(2020, 1, 6, 9, 0)
FIRST = ["Ana", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lia"]
LAST = ["Lopez", "Chen", "Okafor", "Novak", "Schmidt", "Rossi", "Tanaka", "Silva", "Berg"]
WORDS = ["the", "of", "and", "to", "a", "in", "that", "is", "was", "for", "on", "are", "with"]
WORDS += ["as", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but"]
WORDS += ["not", "what", "all", "were", "we", "when", "your", "can", "said", "there", "use"]


def people(count: int) -> list[tuple[str, str]]:
    found = []
    for i in range(count):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"
        found.append((name, f"person{i}@example.org"))
    return found


def calendar(path: Path, events: int, pool: list[tuple[str, str]], rng: random.Random) -> None:
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:me@example.com",
        "X-WR-TIMEZONE:Europe/Berlin",
    ]
    span = (dt.datetime.combine(DAY, dt.time()) - START).days
    for i in range(events):
        start = START + dt.timedelta(days=rng.randrange(span), hours=rng.randrange(10))
        all_day = rng.random() < 0.05
        lines += ["BEGIN:VEVENT"]
        if all_day:
            lines += [f"DTSTART;VALUE=DATE:{start:%Y%m%d}"]
        else:
            lines += [
                f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
                f"DTEND:{start + dt.timedelta(minutes=30):%Y%m%dT%H%M%S}Z",
            ]
        if rng.random() < 0.02:
            lines.append(f"RRULE:FREQ=WEEKLY;COUNT={rng.randrange(10, 120)}")
        lines += [
            f"DTSTAMP:{START:%Y%m%dT%H%M%S}Z",
            f"UID:{i:06d}{rng.getrandbits(40):x}@google.com",
            f"SUMMARY:{' '.join(rng.choice(WORDS) for _ in range(4)).capitalize()}",
            "ORGANIZER;CN=Me:mailto:me@example.com",
        ]
        if not all_day or rng.random() < 0.3:
            for name, email in rng.sample(pool, rng.choice([1, 1, 1, 2, 3, 5, 8])):
                status = "DECLINED" if rng.random() < 0.05 else "ACCEPTED"
                lines.append(
                    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT="
                    f"{status};CN={name};X-NUM-GUESTS=0:mailto:{email}"
                )
            mine = "DECLINED" if rng.random() < 0.03 else "ACCEPTED"
            lines.append(f"ATTENDEE;PARTSTAT={mine};CN=Me:mailto:me@example.com")
        if rng.random() < 0.3:
            lines.append("X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij")
        if rng.random() < 0.02:
            lines.append("STATUS:CANCELLED")
        lines += ["SEQUENCE:0", "STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(fold(line) for line in lines) + "\r\n", encoding="utf-8")


def fold(line: str) -> str:
    """Lines longer than 75 octets folded, as calendar apps write them."""
    if len(line) <= 75:
        return line
    return "\r\n ".join(line[i : i + 74] for i in range(0, len(line), 74))


def mbox(path: Path, megabytes: float, pool: list[tuple[str, str]], rng: random.Random) -> int:
    """Messages until the file has ``megabytes``; returns how many."""
    target = int(megabytes * 1024 * 1024)
    size = 0
    count = 0
    threads: list[tuple[str, str, tuple[str, str]]] = []
    when = START
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        while size < target:
            count += 1
            when += dt.timedelta(minutes=rng.randrange(5, 400))
            listed = rng.random() < 0.2
            if threads and rng.random() < 0.5:
                root, subject, other = rng.choice(threads)
                subject = "Re: " + subject
            else:
                other = rng.choice(pool)
                root = f"<{count}.{rng.getrandbits(32):x}@example.org>"
                subject = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
                threads.append((root, subject, other))
                threads = threads[-200:]
            mine = rng.random() < 0.4
            sender = ("Me", "me@example.com") if mine else other
            to = other if mine else ("Me", "me@example.com")
            body = "\n".join(
                " ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(rng.randrange(5, 120))
            )
            headers = [
                f"From {sender[1]} {when:%a %b %d %H:%M:%S %Y}",
                f"Received: from mail.example.org by mx.example.com; {when:%a, %d %b %Y %T} +0000",
                f"Received: from [10.0.0.{count % 250}] by mail.example.org; {when:%a, %d %b %Y}",
                "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;",
                " h=from:to:subject:date:message-id; bh=" + "x" * 44 + ";",
                " b=" + "y" * 120,
                f"From: {sender[0]} <{sender[1]}>",
                f"To: {to[0]} <{to[1]}>",
                f"Subject: {subject}",
                f"Date: {when:%a, %d %b %Y %H:%M:%S} +0000",
                f"Message-ID: <m{count}.{rng.getrandbits(32):x}@example.org>",
                f"In-Reply-To: {root}",
                f"References: {root}",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
            ]
            if listed:
                headers.append("List-Id: <news.lists.example.org>")
            text = "\n".join(headers) + "\n\n" + body + "\n\n"
            out.write(text)
            size += len(text)
    return count


def vault(root: Path, pool: list[tuple[str, str]], exports: Path) -> None:
    (root / "People").mkdir(parents=True)
    for name, email in pool[: len(pool) // 2]:  # half of them have a note
        (root / "People" / f"{name}.md").write_text(
            f"---\ntype: person\nemail: {email}\n---\n", encoding="utf-8"
        )
    (root / "handful.toml").write_text(
        '[me]\nemails = ["me@example.com"]\ntimezone = "Europe/Berlin"\n\n'
        f'[[capture]]\nkind = "calendar"\npath = "{exports / "work.ics"}"\n\n'
        f'[[capture]]\nkind = "mbox"\npath = "{exports / "mail.mbox"}"\n',
        encoding="utf-8",
    )


def seconds(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def naive_calendar(path: Path) -> float:
    """The whole calendar through icalendar and recurring-ical-events, as a plugin would."""
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    def read() -> None:
        calendar = x_wr_timezone.to_standard(icalendar.Calendar.from_ical(path.read_bytes()))
        for event in recurring_ical_events.of(calendar).between(dt.date(1970, 1, 1), DAY):
            event.get("ATTENDEE")

    return seconds(read)


def run(events: int, megabytes: float, *, naive: bool, keep: Path | None) -> dict[str, object]:
    compile_handful()
    base = Path(tempfile.mkdtemp(prefix="handful-capture-")) if keep is None else keep
    base.mkdir(parents=True, exist_ok=True)
    exports, root, config = base / "exports", base / "vault", base / "config"
    for folder in (exports, root, config):
        shutil.rmtree(folder, ignore_errors=True)
    exports.mkdir()
    rng = random.Random(15)
    pool = people(400)
    calendar(exports / "work.ics", events, pool, rng)
    messages = mbox(exports / "mail.mbox", megabytes, pool, rng)
    vault(root, pool, exports)
    (config / "handful").mkdir(parents=True)
    (config / "handful" / "config.toml").write_text(
        f'[capture.allow]\n"{root.resolve()}" = ["{exports.resolve()}"]\n', encoding="utf-8"
    )
    os.environ["XDG_CONFIG_HOME"] = str(config)
    env = dict(os.environ)

    # The refreshes first, each in a fresh process: a child's peak RSS would include this
    # process's own if it had read the exports already.
    cold, cold_rss, _ = timed(handful(root, "refresh", "--date", DAY.isoformat()), env=env)
    timed(handful(root, "refresh", "--date", DAY.isoformat()), env=env)  # the snapshot
    warm, warm_rss, out = timed(handful(root, "refresh", "--date", DAY.isoformat()), env=env)
    mail_before = (exports / "mail.mbox").read_bytes()
    with open(exports / "mail.mbox", "a", encoding="utf-8") as handle:
        handle.write(
            "From person1@example.org Tue Nov 24 10:00:00 2026\nFrom: P <person1@example.org>\n"
            "To: me@example.com\nSubject: one more\nDate: Tue, 24 Nov 2026 10:00:00 +0000\n"
            "Message-ID: <bench-new@example.org>\n\nhello\n\n"
        )
    changed, changed_rss, _ = timed(handful(root, "refresh", "--date", DAY.isoformat()), env=env)
    (exports / "mail.mbox").write_bytes(mail_before)

    from handful import engine
    from handful.exports.read import inputs, read_all, read_unit
    from handful.storage.cache import SqliteStore

    opened = engine.open_vault(root)
    state = base / "state"
    shutil.rmtree(state, ignore_errors=True)
    store = SqliteStore(state, fingerprint=opened.fingerprint())
    try:
        first = seconds(lambda: read_all(opened, day=DAY, store=store))
        again = seconds(lambda: read_all(opened, day=DAY, store=store))
        stat = seconds(lambda: inputs(opened))
        reading = read_all(opened, day=DAY, store=store)
    finally:
        store.close()
    each = {}
    for export in reading.exports:
        blank = SqliteStore(base / "blank", fingerprint="")
        name = export.unit.display.rsplit("/", 1)[-1]
        each[name] = round(
            seconds(
                lambda e=export, b=blank: read_unit(e.unit, e.spec, opened.config.me, DAY, b, "k")
            ),
            2,
        )
        blank.close()
        shutil.rmtree(base / "blank")
    result: dict[str, object] = {
        "events": events,
        "occasions": {
            e.unit.display.rsplit("/", 1)[-1]: len(e.parsed.occasions) for e in reading.exports
        },
        "mbox_mb": round((exports / "mail.mbox").stat().st_size / 2**20, 1),
        "calendar_mb": round((exports / "work.ics").stat().st_size / 2**20, 1),
        "messages": messages,
        "first_read": round(first, 2),
        "first_read_each": each,
        "unchanged_read": round(again, 3),
        "stat_only": round(stat, 4),
        "refresh_cold": round(cold, 2),
        "refresh_cold_rss_mib": cold_rss // 1024,
        "refresh_unchanged": round(warm, 3),
        "refresh_unchanged_rss_mib": warm_rss // 1024,
        "refresh_unchanged_output": out.strip(),
        "refresh_after_a_mail": round(changed, 2),
        "refresh_after_a_mail_rss_mib": changed_rss // 1024,
    }
    if naive:
        result["naive_calendar"] = round(naive_calendar(exports / "work.ics"), 2)
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--mbox-mb", type=float, default=50.0)
    parser.add_argument("--naive", action="store_true", help="also time the obvious calendar read")
    parser.add_argument("--keep", type=Path, default=None, help="generate here and keep it")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    result = run(args.events, args.mbox_mb, naive=args.naive, keep=args.keep)
    width = max(len(k) for k in result)
    print(f"handful capture benchmark: {args.events} events, {args.mbox_mb} MB of mail")
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
