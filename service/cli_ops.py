"""Operations commands: `summarizer worker` and `summarizer keys ...`."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated

import typer

from service.config import Settings

if TYPE_CHECKING:
    from service.store.keys import KeyRepo

keys_app = typer.Typer(
    help="API keys (stored hashed; shown once when created).", no_args_is_help=True
)


def _keys() -> KeyRepo:
    from service.store.store import Store

    store = Store(Settings().db_url)
    store.migrate()
    return store.keys


@keys_app.command("create")
def keys_create(name: Annotated[str, typer.Option(help="who or what the key is for")]) -> None:
    """Create a key and print it once; only its hash is stored."""
    typer.echo(_keys().create(name))
    typer.echo("store it now: it cannot be shown again", err=True)


@keys_app.command("list")
def keys_list() -> None:
    for key in _keys().list():
        state = "revoked" if key["revoked"] else "active"
        typer.echo(f"{key['id']}  {state:<8} {key['created_at']:%Y-%m-%d %H:%M}  {key['name']}")


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the id shown by `keys list`")]) -> None:
    if not _keys().revoke(key_id):
        typer.echo(f"no active key {key_id}", err=True)
        raise typer.Exit(code=1)


def worker(
    metrics_port: Annotated[
        int | None, typer.Option(help="expose this worker's Prometheus metrics on a port")
    ] = None,
) -> None:
    """Run a job worker (procrastinate on PostgreSQL). Start as many as you like."""
    from service.compose import build_services
    from service.jobs.process import main
    from service.logs import configure_logging

    settings = Settings()
    configure_logging(settings.log_json)
    if settings.queue != "procrastinate" or not settings.db_url.startswith("postgres"):
        typer.echo(
            "workers need SUMMARIZER_QUEUE=procrastinate and a PostgreSQL "
            "SUMMARIZER_DATABASE_URL; with the default in-process queue the API runs its own",
            err=True,
        )
        raise typer.Exit(code=2)
    with contextlib.suppress(KeyboardInterrupt):  # SIGTERM/ctrl-c: a clean stop
        services = build_services(settings)
        main(services.jobs, services.metrics, services.nightly, metrics_port)
