"""Writes a generated document, or checks that the committed one is what
the generator would write (the ctest entries that keep docs/ from drifting)."""
import difflib
import pathlib
import sys


def write_or_check(target, text, check, regenerate):
    """Writes text to target, or with check compares them: 0 when equal, else
    prints the start of the difference and the regenerate command, 1."""
    target = pathlib.Path(target)
    if not check:
        target.write_text(text)
        return 0
    committed = target.read_text() if target.exists() else ""
    if committed == text:
        print(f"{target} is up to date")
        return 0
    diff = difflib.unified_diff(committed.splitlines(), text.splitlines(), str(target),
                                "generated", lineterm="", n=1)
    print("\n".join(list(diff)[:40]), file=sys.stderr)
    print(f"{target} is stale: regenerate it with\n  {regenerate}", file=sys.stderr)
    return 1
