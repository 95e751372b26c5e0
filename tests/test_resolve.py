"""Link resolution as Obsidian does it: names, paths, suffixes, ties, aliases, attachments."""

from __future__ import annotations

import unicodedata

import pytest

from handful.vault.resolve import Resolution, Resolver, Status, fold

NFD_ZOE = unicodedata.normalize("NFD", "People/Zoë Ünal.md")

PATHS = [
    "People/Jo Doe.md",
    "A/Jo.md",
    "B/C/Jo.md",
    NFD_ZOE,
    "Notes/Joey.md",
    "X/People/Ann.md",
    "Y/Ann.md",
    "Top.md",
    "Archive/Top.md",
    "Daily/2026-10-01.md",
]
ALIASES = {
    "People/Jo Doe.md": ["JD", "Joey", " Jojo "],
    "A/Jo.md": ["Shared"],
    "B/C/Jo.md": ["Shared"],
    NFD_ZOE: ["Zo"],
}


@pytest.fixture
def resolver() -> Resolver:
    return Resolver(PATHS, ALIASES)


def resolve(resolver: Resolver, target: str, source: str = "") -> tuple[Status, str | None]:
    found = resolver.resolve(target, source)
    return found.status, found.path


@pytest.mark.parametrize(
    ("target", "status", "path"),
    [
        ("Jo Doe", Status.OK, "People/Jo Doe.md"),
        ("jo doe", Status.OK, "People/Jo Doe.md"),  # case-insensitive
        ("JO DOE.md", Status.OK, "People/Jo Doe.md"),
        ("People/Jo Doe", Status.OK, "People/Jo Doe.md"),  # vault path
        ("people/JO DOE.md", Status.OK, "People/Jo Doe.md"),
        ("/People/Jo Doe", Status.OK, "People/Jo Doe.md"),
        (" Jo Doe ", Status.OK, "People/Jo Doe.md"),
        ("People\\Jo Doe", Status.OK, "People/Jo Doe.md"),
        ("C/Jo", Status.OK, "B/C/Jo.md"),  # path suffix
        ("c/jo", Status.OK, "B/C/Jo.md"),
        ("a/jo", Status.OK, "A/Jo.md"),
        ("People/Ann", Status.OK, "X/People/Ann.md"),
        ("Top", Status.OK, "Top.md"),  # a vault path beats a longer path with the same name
        ("2026-10-01", Status.OK, "Daily/2026-10-01.md"),
    ],
)
def test_resolves_by_name_path_and_suffix(
    resolver: Resolver, target: str, status: Status, path: str
) -> None:
    assert resolve(resolver, target) == (status, path)


@pytest.mark.parametrize("target", ["Zoë Ünal", "zoë ünal", NFD_ZOE[7:-3], "People/Zoë Ünal"])
def test_nfd_file_names_match_nfc_links_and_keep_their_spelling(
    resolver: Resolver, target: str
) -> None:
    status, path = resolve(resolver, target)
    assert status is Status.OK
    assert path == NFD_ZOE  # the path as spelled on disk, for reading and writing


def test_same_name_in_two_folders_is_ambiguous_and_picks_the_shortest_path(
    resolver: Resolver,
) -> None:
    found = resolver.resolve("Jo")
    assert found == Resolution(Status.AMBIGUOUS, "A/Jo.md", ("A/Jo.md", "B/C/Jo.md"))
    ann = resolver.resolve("Ann")
    assert ann.status is Status.AMBIGUOUS
    assert ann.path == "Y/Ann.md"  # fewer folders wins
    assert set(ann.candidates) == {"Y/Ann.md", "X/People/Ann.md"}


def test_ties_at_equal_depth_go_to_the_shorter_then_the_first_path() -> None:
    resolver = Resolver(["Longer/Jo.md", "Ab/Jo.md", "Aa/Jo.md"])
    assert resolve(resolver, "Jo") == (Status.AMBIGUOUS, "Aa/Jo.md")


@pytest.mark.parametrize(
    ("target", "status", "path"),
    [
        ("JD", Status.ALIAS, "People/Jo Doe.md"),
        ("jd", Status.ALIAS, "People/Jo Doe.md"),
        ("Jojo", Status.ALIAS, "People/Jo Doe.md"),  # alias spaces are trimmed
        ("ZO", Status.ALIAS, NFD_ZOE),
        ("Joey", Status.OK, "Notes/Joey.md"),  # a file name beats an alias
        ("Shared", Status.AMBIGUOUS, None),  # an alias two notes share picks neither
        ("People/JD", Status.UNRESOLVED, None),  # aliases are names, not paths
    ],
)
def test_aliases_come_after_names(
    resolver: Resolver, target: str, status: Status, path: str | None
) -> None:
    assert resolve(resolver, target) == (status, path)


def test_ambiguous_alias_lists_its_candidates(resolver: Resolver) -> None:
    assert set(resolver.resolve("Shared").candidates) == {"A/Jo.md", "B/C/Jo.md"}


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("pic.png", Status.ATTACHMENT),
        ("files/Report.PDF", Status.ATTACHMENT),
        ("clip.mp4", Status.ATTACHMENT),
        ("x.3gp", Status.ATTACHMENT),
        ("Nobody", Status.UNRESOLVED),
        ("Missing.md", Status.UNRESOLVED),
        ("v1.2", Status.UNRESOLVED),  # a version number is not an extension
        ("Dr. Who", Status.UNRESOLVED),  # nor is a word after a dot and a space
        ("St. Paul", Status.UNRESOLVED),
        ("Z/Jo", Status.UNRESOLVED),  # a suffix must match whole folder names
        ("eople/Jo Doe", Status.UNRESOLVED),
    ],
)
def test_unresolved_and_attachments(resolver: Resolver, target: str, status: Status) -> None:
    found = resolver.resolve(target)
    assert found.status is status
    assert found.path is None


@pytest.mark.parametrize(
    ("target", "source", "path"),
    [
        ("./Jo", "A/note.md", "A/Jo.md"),
        ("../A/Jo", "B/note.md", "A/Jo.md"),
        ("../Jo Doe.md", "People/Sub/x.md", "People/Jo Doe.md"),
    ],
)
def test_relative_paths_from_the_source_note(
    resolver: Resolver, target: str, source: str, path: str
) -> None:
    assert resolve(resolver, target, source) == (Status.OK, path)


def test_relative_path_out_of_the_vault_is_unresolved(resolver: Resolver) -> None:
    assert resolve(resolver, "../Jo", "Top.md") == (Status.UNRESOLVED, None)
    assert resolve(resolver, "../../x", "A/n.md") == (Status.UNRESOLVED, None)


def test_relative_links_are_not_memoised_across_sources(resolver: Resolver) -> None:
    assert resolve(resolver, "./Jo", "A/x.md") == (Status.OK, "A/Jo.md")
    assert resolve(resolver, "./Jo", "B/C/x.md") == (Status.OK, "B/C/Jo.md")


def test_empty_target_is_the_source_note(resolver: Resolver) -> None:
    assert resolve(resolver, "", "A/Jo.md") == (Status.OK, "A/Jo.md")  # [[#Heading]]
    assert resolve(resolver, "  ") == (Status.UNRESOLVED, None)


def test_link_text_is_the_shortest_text_that_resolves_back(resolver: Resolver) -> None:
    for path in PATHS:
        text = resolver.link_text(path)
        assert resolver.resolve(text).path == path
        assert resolver.resolve(text).status is Status.OK
    assert resolver.link_text("People/Jo Doe.md") == "Jo Doe"
    assert resolver.link_text("B/C/Jo.md") == "B/C/Jo"


def test_signature_is_order_independent() -> None:
    first = Resolver(["b.md", "a.md"], {"a.md": ["x"]})
    second = Resolver(["a.md", "b.md"], {"a.md": ("x",)})
    assert first.signature == second.signature
    assert Resolver(["a.md"]).signature != first.signature


def test_fold() -> None:
    assert fold("Zoe\u0308") == fold("ZOË")
    assert fold("Straße") == fold("STRASSE")


def test_many_notes_resolve_by_lookup() -> None:
    paths = [f"F{n % 50}/Note {n}.md" for n in range(20_000)]
    resolver = Resolver(paths)
    assert resolve(resolver, "note 19999") == (Status.OK, "F49/Note 19999.md")
    assert resolve(resolver, "F3/Note 3") == (Status.OK, "F3/Note 3.md")


def test_a_note_added_to_a_resolver_is_known_and_takes_part_in_link_text() -> None:
    daily, own = "Daily/2026-12-01.md", "Reconnect/2026-12-01.md"
    resolver = Resolver([daily])
    assert resolver.knows(daily) and not resolver.knows(own)
    assert resolver.link_text(daily) == "2026-12-01"
    later = resolver.with_paths([own], secondary=[own])
    assert later.knows(own)
    assert later.resolve("2026-12-01").path == daily  # a user note wins its name
    assert later.link_text(daily) == "Daily/2026-12-01"  # unambiguous in Obsidian too
