"""What handful remembers between runs, in ``.handful/cache.sqlite``: what callers ask of the
store, as small protocols by job (``store``: note records, a few values, the snapshot, plugins'
values; ``NoteStore`` is all of them, ``NullStore`` remembers nothing), the store that remembers
(``cache.SqliteStore``), the refresh snapshot (``snapshot``), the typed JSON both are written in
(``typed_json``), and the checks that every decoded row passes before it is used (``checked``).
Everything read back is validated: the folder syncs between devices and people
(docs/security.md)."""
