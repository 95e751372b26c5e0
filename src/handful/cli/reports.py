"""Commands that only read: a person's card, the doctor, the network, paths and introductions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import click

from handful import engine
from handful.cli.app import (
    Context,
    cli,
    parse_day,
    pass_context,
)
from handful.errors import NotFoundError
from handful.generate.json_output import network_json

if TYPE_CHECKING:
    from handful.exports.people import Stranger


@cli.command()
@click.argument("name")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="Score as of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@pass_context
def person(ctx: Context, name: str, day: str | None, as_json: bool) -> None:
    """One person's card: timeline, mentions, follow-ups and the score breakdown."""
    from handful import reading
    from handful.generate.card import person_card, person_json

    vault = ctx.open()
    with ctx.reading(vault) as (store, progress):  # with plugin adjustments
        loaded, assessment = reading.person(
            vault, store, name, parse_day(day), today=dt.date.today(), progress=progress
        )
    if as_json:
        click.echo(json.dumps(person_json(loaded.model, assessment), indent=2, ensure_ascii=False))
    else:
        click.echo(person_card(loaded.model, assessment), nl=False)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print {errors, warnings, info} as JSON.")
@click.option(
    "--all", "everything", is_flag=True, help="Also list what is only counted (missing notes)."
)
@pass_context
def doctor(ctx: Context, as_json: bool, everything: bool) -> None:
    """Everything wrong with the vault, with file and line. Exit status 1 when errors exist."""
    from handful import reading
    from handful.doctor import DoctorReport

    vault = ctx.open()
    if vault.config.captures:  # the people with no note are counted over every export record
        loaded = ctx.load(vault)
    else:
        with ctx.reading(vault) as (store, progress):
            loaded = reading.problems(vault, store, progress=progress)
    report = DoctorReport.of(loaded.problems)
    no_note = people_without_note(loaded)
    if as_json:
        data: dict[str, Any] = report.as_json()
        if no_note is not None:
            data["no_note"] = [s.as_dict() for s in no_note]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for line in report.lines(everything=everything):
            click.echo(line)
        print_no_note(no_note)
        people = len(loaded.model.people)
        click.echo(
            f"{len(loaded.files)} notes, {people} people: {len(report.errors)} error(s), "
            f"{len(report.warnings)} warning(s)"
        )
    if report.errors:
        raise click.exceptions.Exit(1)


def print_no_note(no_note: list[Stranger] | None) -> None:
    """The people exports show you in touch with who have no note, and how to make theirs."""
    if not no_note:
        return
    click.echo("People you are in touch with who have no note:")
    for stranger in no_note:
        click.echo(f"  {stranger.describe()}")
    click.echo("  (plan their notes: handful capture people --create --dry-run)")


def people_without_note(loaded: engine.Loaded) -> list[Stranger] | None:
    """With ``[[capture]]`` entries: the first people exports show you in touch with who have
    no note (None without entries)."""
    if not loaded.vault.config.captures:
        return None
    from handful.exports.people import DOCTOR_LIMIT, strangers

    return strangers(loaded.records, loaded.universe)[:DOCTOR_LIMIT]


@cli.command()
@click.option("--date", "day", metavar="YYYY-MM-DD", help="As of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def network(ctx: Context, day: str | None, as_json: bool) -> None:
    """The shape of your network: circles, strongest, drifting, one-sided and dormant ties."""
    from handful.generate.network import render_text
    from handful.score.network import network_report

    vault = ctx.open()
    when = parse_day(day)
    loaded, assessments = ctx.everyone(vault, when)
    report = network_report(
        loaded.model, assessments, when, vault.params, facts=loaded.facts, ties=loaded.ties
    )
    if as_json:
        click.echo(
            json.dumps(
                network_json(loaded.model, report, assessments), indent=2, ensure_ascii=False
            )
        )
    else:
        click.echo(render_text(loaded.model, report, assessments), nl=False)


@cli.command("path")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="As of this day (default: today).")
@pass_context
def path_command(ctx: Context, source: str, target: str, day: str | None) -> None:
    """The most reliable chain of people from FROM to TO (either may be 'me')."""
    from handful.model.lookup import find_person
    from handful.score.reach import ME, SELF_WORDS, best_path, my_ties, with_me

    vault = ctx.open()
    when = parse_day(day)
    loaded, assessments = ctx.everyone(vault, when)

    def who(name: str) -> str:
        return ME if name.strip().casefold() in SELF_WORDS else find_person(loaded.model, name)

    start, goal = who(source), who(target)
    if start == goal:
        click.echo(
            "that is you: no chain needed"
            if start == ME
            else f"{_name(loaded, start)} is {_name(loaded, goal)}: no chain needed"
        )
        return
    graph = with_me(_tie_graph(loaded), my_ties(assessments))
    found = best_path(graph, start, goal)
    if found is None:
        raise NotFoundError(f"no chain of at most 3 people links {source} to {target}")
    click.echo(_describe_path(loaded, found))


def _tie_graph(loaded: engine.Loaded) -> Mapping[str, Mapping[str, float]]:
    """Who is tied to whom: the snapshot's counted ties, the graph the model's edges give (a
    model read from the snapshot holds no edges)."""
    from handful.score.reach import person_graph

    return loaded.ties.graph if loaded.ties is not None else person_graph(loaded.model)


def _name(loaded: engine.Loaded, key: str) -> str:
    from handful.score.reach import ME

    return "you" if key == ME else loaded.model.people[key].name


def _describe_path(loaded: engine.Loaded, found: Any) -> str:
    """``you -(0.80)- Ruth -(0.60)- Daniel``: each person once, each hop's weight between."""
    chain = [_name(loaded, found.nodes[0])]
    for node, weight in zip(found.nodes[1:], found.weights, strict=True):
        chain.append(f"-({weight:.2f})- {_name(loaded, node)}")
    hops = [" ".join(chain)]
    weakest = found.weakest
    weak = (
        f"weakest hop: {_name(loaded, found.nodes[weakest])} - "
        f"{_name(loaded, found.nodes[weakest + 1])} ({found.weights[weakest]:.2f})"
    )
    return " ; ".join(hops) + f"\nreliability {found.reliability:.2f}; {weak}"


@cli.command()
@click.argument("target")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="As of this day (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the introducers as JSON.")
@pass_context
def intro(ctx: Context, target: str, day: str | None, as_json: bool) -> None:
    """Who can introduce you to TARGET: a person, a company, or a #tag."""
    from handful.score.introductions import find_introductions

    vault = ctx.open()
    when = parse_day(day)
    loaded, assessments = ctx.everyone(vault, when)
    answer = find_introductions(loaded.model, assessments, target, graph=_tie_graph(loaded))
    if as_json:
        click.echo(json.dumps(answer.as_dict(loaded.model), indent=2, ensure_ascii=False))
        return
    click.echo(answer.describe(loaded.model))
