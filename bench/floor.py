"""The floor: read every note, load its front matter with libyaml, find [[links]] with a regex.

The cost of touching every byte once; handful's timings are reported as ratios to this.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

import yaml

LINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main(root: str) -> None:
    notes = links = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                text = handle.read()
            if text.startswith("---\n") or text.startswith("---\r\n"):
                end = text.find("\n---", 3)
                if end > 0:
                    with contextlib.suppress(yaml.YAMLError):
                        yaml.load(text[4:end], Loader=Loader)
            links += len(LINK.findall(text))
            notes += 1
    print(f"{notes} notes, {links} links")


if __name__ == "__main__":
    main(sys.argv[1])
