"""Calling an agency's receiver: the server-side request forgery checks, the Standard Webhooks
signature and one HTTP attempt with a short timeout. No database here.

A receiver must be ``https`` and every address its name resolves to must be public: no private,
loopback, link-local, multicast, reserved or unspecified address (OWASP's SSRF prevention). The
connection is made to the address that was checked, not resolved again, so a name that changes
its answer between the check and the call (DNS rebinding) cannot reach inside; TLS still checks
the certificate against the name. ``WEBHOOKS_ALLOW_LOOPBACK`` (``make run`` and the tests only;
the production settings refuse it) lets a receiver on this machine be used, over http too.
"""

import base64
import datetime
import ipaddress
import json
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from django.conf import settings
from standardwebhooks import Webhook as StandardWebhook

from tenants.clock import now


class UnsafeReceiver(ValueError):
    """The URL may not be called: its scheme, its form or the addresses its name resolves to."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str
    path: str


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status: int | None
    error: str
    timestamp: datetime.datetime


def secret_new() -> str:
    """A signing secret in the Standard Webhooks form: ``whsec_`` and 32 random bytes, base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _address_refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip.is_loopback:
        return "" if settings.WEBHOOKS_ALLOW_LOOPBACK else "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return "an address that is not public"
    return ""


def receiver_check(url: str) -> Target:
    """The address to call for ``url``, or ``UnsafeReceiver`` saying why it may not be."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise UnsafeReceiver("The address may not carry a user name or password.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeReceiver("The address has no host.")
    if parts.scheme not in ("https", "http"):
        raise UnsafeReceiver("The address must start with https://.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeReceiver("The address's port is not valid.") from error
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeReceiver(f"{host} does not resolve.") from error
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    ips = [ipaddress.ip_address(address.split("%", 1)[0]) for address in addresses]
    for ip in ips:
        refused = _address_refused(ip)
        if refused:
            raise UnsafeReceiver(f"{host} resolves to {refused} ({ip}).")
    if parts.scheme == "http" and not all(ip.is_loopback for ip in ips):
        raise UnsafeReceiver("The address must start with https://.")
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    return Target(parts.scheme, host, port, addresses[0], path)


def signed_headers(
    *, secret: str, message_id: str, body: str, timestamp: datetime.datetime
) -> dict[str, str]:
    """The Standard Webhooks headers: the id (the same on every retry), the attempt's time and
    ``v1,<base64 HMAC-SHA256 of id.timestamp.body>``, signed by the ``standardwebhooks``
    package."""
    signature = StandardWebhook(secret).sign(msg_id=message_id, timestamp=timestamp, data=body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": "Safeguard-Webhooks/1",
    }


def payload(*, event_type: str, data: dict, moment: datetime.datetime) -> str:
    """The body, as Standard Webhooks recommends: ``type``, ``timestamp`` and ``data``."""
    body = {"type": event_type, "timestamp": moment.isoformat(), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True, default=str)


def attempt(*, url: str, secret: str, message_id: str, body: str) -> Attempt:
    """One POST of ``body`` to ``url``, checked and signed now. Any 2xx answer is delivered.
    The connection and the wait for an answer are each bounded by
    ``WEBHOOK_TIMEOUT_SECONDS``, and the answer's body is never read, so a slow receiver holds
    a worker no longer than that."""
    moment = now()
    try:
        target = receiver_check(url)
    except UnsafeReceiver as error:
        return Attempt(False, None, str(error), moment)
    timeout = urllib3.Timeout(
        connect=settings.WEBHOOK_TIMEOUT_SECONDS, read=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    headers = signed_headers(secret=secret, message_id=message_id, body=body, timestamp=moment)
    default_port = 443 if target.scheme == "https" else 80
    headers["host"] = target.host if target.port == default_port else f"{target.host}:{target.port}"
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
            timeout=timeout,
            retries=False,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, target.port, timeout=timeout, retries=False
        )
    try:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body.encode(),
            headers=headers,
            redirect=False,
            preload_content=False,
            assert_same_host=False,
        )
        status = response.status
        response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        return Attempt(False, None, f"{type(error).__name__}: {error}"[:300], moment)
    finally:
        pool.close()
    if 200 <= status < 300:
        return Attempt(True, status, "", moment)
    return Attempt(False, status, f"The receiver answered {status}.", moment)
