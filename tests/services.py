"""Services the tests start themselves (session fixtures in tests/integration/conftest.py and
tests/browser/conftest.py): ClamAV's daemon with a local test signature database, a local
OpenID provider, and an SMTP server.

A service that cannot start fails the tests that need it with a message saying how to get it;
nothing is skipped. Nothing is downloaded: the signature database is made here with sigtool from
the EICAR test string, and the OpenID provider's packages come from `npm ci` in `make test`.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OIDC_DIR = ROOT / "tests" / "oidc_provider"

# The EICAR anti-virus test string, assembled here so that no file in the repository holds it.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(check, *, seconds: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        if process is not None and process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            pytest.fail(f"{what} stopped while starting:\n{output[-3000:]}")
        time.sleep(0.2)
    pytest.fail(f"{what} did not answer within {seconds:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


# ---------------------------------------------------------------- ClamAV


@dataclass
class Clamd:
    socket_path: str
    eicar: bytes = EICAR


@contextmanager
def running_clamd(base: Path) -> Iterator[Clamd]:
    """clamd with a signature database of one signature (EICAR, made by `sigtool --md5`)."""
    for tool in ("clamd", "sigtool"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            pytest.fail(f"{tool} is missing: `make system` installs Debian's clamav-daemon")
    database = base / "db"
    database.mkdir()
    sample = base / "eicar.txt"
    sample.write_bytes(EICAR)
    signature = subprocess.run(
        [shutil.which("sigtool") or "/usr/sbin/sigtool", "--md5", str(sample)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    (database / "test.hdb").write_bytes(signature)
    sample.unlink()
    socket_path = base / "clamd.sock"
    config = base / "clamd.conf"
    config.write_text(
        f"DatabaseDirectory {database}\nLocalSocket {socket_path}\nForeground yes\n"
        f"LogFile {base / 'clamd.log'}\nPidFile {base / 'clamd.pid'}\nStreamMaxLength 100M\n"
        "LogVerbose no\n"
    )
    process = subprocess.Popen(
        [shutil.which("clamd") or "/usr/sbin/clamd", "-c", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    from ketenportaal import malware

    try:
        _wait_until(
            lambda: malware.ping(str(socket_path)), seconds=90, what="clamd", process=process
        )
        yield Clamd(socket_path=str(socket_path))
    finally:
        _stop(process)


# ---------------------------------------------------------------- OpenID provider


@dataclass
class OIDCProvider:
    issuer: str
    client_id: str
    client_secret: str

    def settings(self) -> dict[str, object]:
        """The portal's OIDC_* settings for this provider."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_MFA_CLAIM": "portal_amr",
            "OIDC_MFA_VALUES": ["mfa"],
        }


@contextmanager
def running_oidc_provider(portal_url: str) -> Iterator[OIDCProvider]:
    """node's oidc-provider on a free port, with the portal's callback as redirect URI."""
    if shutil.which("node") is None:
        pytest.fail("node is missing: the OpenID provider of the SSO tests needs Node.js 20+")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        pytest.fail(
            "The test OpenID provider is not installed: run `npm ci` in tests/oidc_provider"
        )
    port = _free_port()
    provider = OIDCProvider(
        issuer=f"http://127.0.0.1:{port}", client_id="ketenportaal", client_secret="sso-test-secret"
    )
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": provider.client_id,
        "OIDC_CLIENT_SECRET": provider.client_secret,
        "OIDC_REDIRECT_URI": f"{portal_url}/oidc/callback/",
    }
    process = subprocess.Popen(
        ["node", "server.js"],
        cwd=OIDC_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    try:
        _wait_until(answers, seconds=30, what="the OpenID provider", process=process)
        yield provider
    finally:
        _stop(process)


# ---------------------------------------------------------------- SMTP


@dataclass
class SMTPServer:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)

    def mailer(self) -> dict[str, object]:
        """A MAILERS entry that sends to this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": self.host, "port": self.port, "timeout": 10},
            }
        }


@contextmanager
def running_smtp_server() -> Iterator[SMTPServer]:
    """A real SMTP server in this process (aiosmtpd) that keeps what it receives."""
    from aiosmtpd.controller import Controller

    server = SMTPServer(host="127.0.0.1", port=_free_port())

    class Keep:
        async def handle_DATA(self, smtp, session, envelope):
            server.messages.append(message_from_bytes(envelope.original_content))
            return "250 OK"

    controller = Controller(Keep(), hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
