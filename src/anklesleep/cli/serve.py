"""`serve`: start the web app on this computer (or, with a token, on the local network)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket

import click

from anklesleep.basics.i18n import _

#: What one connection may hold of the server: an idle connection is closed after a few
#: seconds, a request's head must arrive within `server_limits.HEAD_SECONDS` and stay under
#: 64 KB, and past 100 open connections new ones are answered 503 at once instead of queueing
#: (a phone and a laptop need a handful).
KEEP_ALIVE_SECONDS = 5
MAX_HEAD_BYTES = 64 * 1024
MAX_CONNECTIONS = 100


def is_loopback_host(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent: UDP connect only)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, only picks an interface
            address: str = probe.getsockname()[0]
        except OSError:
            address = "127.0.0.1"
    return address


def url_for(host: str, port: int, token: str | None = None) -> str:
    shown = host if ":" not in host or host.startswith("[") else f"[{host}]"
    base = f"http://{shown}:{port}/"
    return f"{base}?token={token}" if token else base


def qr_text(url: str) -> str:
    """The URL as a QR code drawn with text blocks, for a phone camera."""
    import io

    import segno

    buffer = io.StringIO()
    segno.make(url, error="m").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()


@click.command(epilog="Example: anklesleep serve --open   (a phone on your Wi-Fi: --host 0.0.0.0)")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0 picks a free one).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in your web browser.")
@click.option(
    "--new-token",
    is_flag=True,
    help="Make a new access token: links and phones given the old one stop working.",
)
@click.pass_context
def serve(ctx: click.Context, /, host: str, port: int, open_browser: bool, new_token: bool) -> None:
    """Start the web app and print its address.

    By default only this computer can reach it. With --host 0.0.0.0 a phone on the same
    network can too: an access token is required, shown as a link and a QR code.
    """
    import uvicorn

    from anklesleep.cli.common import database
    from anklesleep.cli.server_limits import HeadDeadlineProtocol
    from anklesleep.services.access import stored_token
    from anklesleep.web.app import create_app

    engine = database(ctx)
    now = dt.datetime.now(dt.UTC)
    if new_token:
        stored_token(engine, now, renew=True)
        click.echo(_("Made a new access token; links shown before no longer work."))
    token = None if is_loopback_host(host) else stored_token(engine, now)
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError as exc:
            from anklesleep.basics.errors import AnkleSleepError

            raise AnkleSleepError(
                _(
                    "--port: cannot listen on {host}:{port} ({strerror}); choose another "
                    "port, e.g. --port 8001"
                ).format(host=host, port=port, strerror=exc.strerror),
                field="port",
            ) from None
        port = sock.getsockname()[1]
        app = create_app(engine, token=token, prepare_tracks=True)
        local = url_for("127.0.0.1" if token else host, port, token)
        click.echo(_("anklesleep is running at {url}").format(url=local))
        if token:
            shown = lan_address() if host in ("0.0.0.0", "::") else host
            phone = url_for(shown, port, token)
            click.echo(_("On your phone (same Wi-Fi), open: {url}").format(url=phone))
            click.echo(qr_text(phone))
            click.echo(_("Keep this link private: it lets anyone on your network in."))
        click.echo(_("Press Ctrl+C to stop."))
        if open_browser:
            import webbrowser

            webbrowser.open(url_for("127.0.0.1", port, token))
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            h11_max_incomplete_event_size=MAX_HEAD_BYTES,
            limit_concurrency=MAX_CONNECTIONS,
            timeout_graceful_shutdown=5,
            http=HeadDeadlineProtocol,
        )
        server = uvicorn.Server(config)
        server.run(sockets=[sock])
