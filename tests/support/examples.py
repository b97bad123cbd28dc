"""Bundled example books for tests."""

from __future__ import annotations


def init_example(tmp_path_factory, name: str):
    """Books made with ``ledger init --example NAME`` in a fresh folder (the path)."""
    from click.testing import CliRunner

    from ledger.cli import cli

    path = tmp_path_factory.mktemp(f"example-{name}") / "books.sqlite"
    result = CliRunner().invoke(cli, ["--books", str(path), "init", "--example", name])
    assert result.exit_code == 0, result.output
    return path
