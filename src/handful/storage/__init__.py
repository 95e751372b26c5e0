"""What handful remembers between runs, in ``.handful/cache.sqlite``: the note cache
(``store.NoteStore``, the interface, and ``cache.SqliteStore``), the refresh snapshot
(``snapshot``), the typed JSON both are written in (``typed_json``), and the checks that every
decoded row passes before it is used (``checked``). Everything read back is validated: the
folder syncs between devices and people (docs/security.md)."""
