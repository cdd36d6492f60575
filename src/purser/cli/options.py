"""Options and error exits shared by every command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from purser.config import CONFIG_FILE, Config, ConfigError, load_config

RepoOption = Annotated[
    Path | None,
    typer.Option("--repo", file_okay=False,
                 help="Infrastructure repository (default: PATH or the current directory)."),
]
PathArgument = Annotated[
    Path | None,
    typer.Argument(help="Folder to check (default: the repository root).", show_default=False),
]
VarOption = Annotated[
    list[str] | None,
    typer.Option("--var", help="Terraform variable override NAME=VALUE (repeatable)."),
]
CacheDirOption = Annotated[
    str | None,
    typer.Option("--cache-dir", metavar="DIR", show_default=False,
                 help="Parse cache folder (default: $PURSER_CACHE_DIR, else "
                      "$XDG_CACHE_HOME/purser or ~/.cache/purser); '' keeps it in memory. "
                      "Never used inside the repository being checked."),
]

EXIT_USAGE = 2


def fail(message: str) -> NoReturn:
    """A user mistake: one clear line on stderr and exit 2, never a traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def resolve_repo(path: Path | None, repo: Path | None) -> tuple[Path, str | None]:
    """The repository root and, when PATH is a folder inside it, that folder (relative).

    Without --repo the root is the nearest folder at or above PATH (or the current folder)
    holding purser.yaml or .git, so that `cd envs/prod && purser check` still follows the
    modules that envs/prod calls from elsewhere in the repository."""
    target = (path or repo or Path.cwd()).resolve()
    root = repo.resolve() if repo is not None else repository_root(target)
    for folder in (root, target):
        if not folder.is_dir():
            fail(f"{folder}: not a directory")
    if not target.is_relative_to(root):
        fail(f"{path}: not inside the repository {root}")
    rel = target.relative_to(root).as_posix()
    return root, None if rel == "." else rel


def repository_root(folder: Path) -> Path:
    """The nearest folder at or above `folder` holding purser.yaml or .git; else `folder`."""
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_FILE).exists() or (candidate / ".git").exists():
            return candidate
    return folder


def read_config(root: Path) -> Config:
    try:
        return load_config(root)
    except ConfigError as exc:
        fail(str(exc))


def cache_dir_for(root: Path, option: str | None) -> Path | None:
    """The parse cache folder for checking `root`: --cache-dir, else the user's default.
    None (memory only) for `--cache-dir ''`, or with a notice when the folder is one the
    repository could have written (inside it, or tracked by git)."""
    from purser.sources.cachestore import default_dir, refusal

    if option == "":
        return None
    folder = Path(option).absolute() if option is not None else default_dir()
    why = refusal(root, folder) if folder else None
    if why:
        typer.echo(f"notice: parse cache not used: {why}; parsing without it", err=True)
        return None
    return folder


def parse_vars(pairs: list[str] | None) -> dict[str, str]:
    variables: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            fail(f"--var {pair!r}: expected NAME=VALUE")
        variables[name.strip()] = value
    return variables
