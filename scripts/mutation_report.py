"""Summarise a `mutmut run` (scripts/mutation.sh): mutants killed and survived, and which of
the survivors only change the words of a message (a string with a space in it, made longer by
mutmut's "XX…XX"), which the score leaves out. Prints each counted survivor's diff."""

from __future__ import annotations

import re
import subprocess
import sys

MUTMUT = ".venv/bin/mutmut"


def mutmut(*args: str) -> str:
    """mutmut's own output (our venv's command, our arguments)."""
    done = subprocess.run([MUTMUT, *args], capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout


def ids(status: str) -> list[str]:
    """The ids of the mutants with a status (`mutmut result-ids`: survived, killed, timeout…)."""
    return mutmut("result-ids", status).split()


def only_message_text(diff: str) -> bool:
    removed = [
        line[1:]
        for line in diff.splitlines()
        if line.startswith("-") and not line.startswith("---")
    ]
    added = [
        line[1:]
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    if len(removed) != 1 or len(added) != 1:
        return False
    strings_before = re.findall(r"([\"'])(.*?)\1", removed[0])
    strings_after = re.findall(r"([\"'])(.*?)\1", added[0])
    changed = [
        (before, after)
        for (_, before), (_, after) in zip(strings_before, strings_after, strict=False)
        if before != after
    ]
    return (
        bool(changed)
        and all(" " in before and after in (f"XX{before}XX", "") for before, after in changed)
        and re.sub(r"([\"']).*?\1", "''", removed[0]) == re.sub(r"([\"']).*?\1", "''", added[0])
    )


def main(module: str) -> None:
    killed, survived, timeouts = ids("killed"), ids("survived"), ids("timeout")
    counted: list[tuple[str, str]] = []
    messages: list[tuple[str, str]] = []
    for mutant in survived:
        diff = mutmut("show", mutant)
        (messages if only_message_text(diff) else counted).append((mutant, diff))
    considered = len(killed) + len(counted)
    score = 100.0 * len(killed) / considered if considered else 100.0
    print(
        f"{module}: {len(killed)} killed, {len(counted)} survived, {len(messages)} survived that "
        f"only change a message, {len(timeouts)} timed out; score {score:.1f} % (target ≥ 90 %)"
    )
    for mutant, diff in counted:
        print(f"--- survivor {mutant}\n{diff.strip()}\n")


if __name__ == "__main__":
    main(sys.argv[1])
