"""Standard error within held_output: dropped when the block succeeds, written out when it fails."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from recorder.held_output import held_output


def _write_everywhere(text: str) -> None:
    print(f"{text} (python)", file=sys.stderr)
    os.write(2, f"{text} (descriptor)\n".encode())
    subprocess.run([sys.executable, "-c", f"import sys; sys.stderr.write('{text} (child)\\n')"], check=True)


def test_what_a_successful_block_writes_to_standard_error_is_dropped(capfd: pytest.CaptureFixture[str]) -> None:
    with held_output():
        _write_everywhere("progress")
    print("after", file=sys.stderr)
    os.write(2, b"after (descriptor)\n")
    err = capfd.readouterr().err
    assert "progress" not in err
    assert "after\n" in err and "after (descriptor)\n" in err  # standard error is back


def test_what_a_failing_block_wrote_is_shown_with_its_error(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError, match="broken"), held_output():
        _write_everywhere("context")
        raise RuntimeError("broken")
    err = capfd.readouterr().err
    for source in ("python", "descriptor", "child"):
        assert f"context ({source})\n" in err
    os.write(2, b"still here\n")
    assert capfd.readouterr().err == "still here\n"
