"""Capture: interactions read from the calendar, chat and mail exports people already have.

Each ``[[capture]]`` entry of ``handful.toml`` names an export (a file or a folder) and its kind.
Every export file is read by a pure parser into *occasions* of contact (``items.py``): who was
there, when, how, and who started it; never a message body. The occasions are remembered in the
cache by the file's size and modification time, so an unchanged export costs a stat. For the
day a model is built for, the occasions up to that day become a ``NoteRecord`` whose facts name
people by contact target (``model/contacts.py``), resolved like links. docs/capture.md is the
user's guide; this package is registered as a built-in plugin (``handful.builtin``).

The package is called ``exports`` because ``handful.capture`` is the ``handful log`` editor.
"""
