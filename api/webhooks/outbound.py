"""Where a webhook may be sent: to the public Internet only, and to the very address that was checked.

A subscriber's URL is typed by an editor. Sent as it is, a POST would go wherever
its host leads, the database on loopback or a cloud's metadata service included,
and the deliveries page would tell the editor how that went: a port scanner. So
the host is resolved once, every address it resolves to must be public, and the
request goes to one of those addresses with the name in the ``Host`` header and,
over TLS, in SNI and in the certificate's check; the name is never resolved a
second time for the same request, so a DNS answer that changes in between
(rebinding) cannot lead the connection elsewhere. Redirects are not followed, and
no proxy from the environment is used (it would resolve the name again).

``WEBHOOKS_ALLOW_PRIVATE_ADDRESSES`` lifts the rule on addresses, for development
and tests against a receiver on the same machine; a host that cannot be resolved
is refused whatever it says.
"""

import ipaddress
import socket
import ssl
from urllib.parse import unquote, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

# Certificate authorities trusted for https subscribers: the same bundle as `requests`.
CA_BUNDLE = certifi.where()

# Addresses carrying an IPv4 address that a gateway may reach for them: NAT64.
NAT64_NETWORKS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
# Private networks in the narrow sense (RFC 1918, shared address space, unique local).
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7", "fec0::/10")
)


class AddressRefused(Exception):
    """A URL that no webhook may be sent to: ``message`` tells the editor why, the exception's text tells the log."""

    code = "address_not_allowed"

    def __init__(self, message, detail):
        super().__init__(detail)
        self.message = message


class HostNotFound(AddressRefused):
    """The URL's host does not resolve to any address."""

    code = "host_not_found"


class CouldNotConnect(Exception):
    """No answer came from the subscriber's address: refused, timed out, TLS failed, or the connection broke."""


def embedded_ipv4(address):
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), or None."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in NAT64_NETWORKS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address):
    """Why no webhook may go to this address (a short translated noun), or None when it is public."""
    embedded = embedded_ipv4(address)
    if embedded is not None:
        return refusal(embedded)
    if address.is_unspecified:
        return _("unspecified address")
    if address.is_loopback:
        return _("loopback")
    if address.is_link_local:
        return _("link-local")
    if address.is_multicast:
        return _("multicast")
    if any(address in network for network in PRIVATE_NETWORKS if network.version == address.version):
        return _("private network")
    if address.is_reserved or address.is_private or not address.is_global:
        return _("reserved")
    return None


def resolve(host, port):
    """Every address ``host`` resolves to, in the resolver's order."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise HostNotFound(
            _("The host “%(host)s” could not be found.") % {"host": host}, f"{host}: {error}"
        ) from error
    addresses = []
    for _family, _type, _proto, _canonname, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise HostNotFound(
            _("The host “%(host)s” could not be found.") % {"host": host}, f"{host}: no address"
        )
    return addresses


def split(url):
    """The URL's parts, its host and its port; refused unless it is http or https with a host."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
        raise AddressRefused(_("Enter an http or https URL with a host."), f"not an http(s) URL: {url!r}")
    return parts, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def redacted(url):
    """The URL without the credentials it may carry, for the log."""
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def check(url):
    """The addresses a webhook to ``url`` may be sent to: all of the host's, each public (unless allowed)."""
    _parts, host, port = split(url)
    addresses = resolve(host, port)
    if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False):
        return addresses
    for address in addresses:
        why = refusal(address)
        if why is not None:
            raise AddressRefused(
                _(
                    "The host “%(host)s” leads to an address webhooks may not be sent to (%(kind)s): "
                    "only public Internet addresses are allowed."
                )
                % {"host": host, "kind": why},
                f"{host} resolves to {address} ({why})",
            )
    return addresses


def connection_pool(parts, address, port, timeout):
    """A connection to ``address`` that speaks to it as the URL's host (Host header, SNI, certificate)."""
    timeout = urllib3.Timeout(connect=timeout, read=timeout)
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=CA_BUNDLE)
        return urllib3.HTTPSConnectionPool(
            str(address),
            port,
            timeout=timeout,
            retries=False,
            ssl_context=context,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
        )
    return urllib3.HTTPConnectionPool(str(address), port, timeout=timeout, retries=False)


def post(url, body, headers, timeout):
    """POST ``body`` to ``url`` once, at an address checked by :func:`check`; the response's status and headers.

    Raises :class:`AddressRefused` before any connection when the URL may not be
    sent to, :class:`CouldNotConnect` when no answer came. Each address the host
    resolved to is tried in turn until one accepts the connection.
    """
    parts, _host, port = split(url)
    addresses = check(url)
    headers = {**headers, "Host": parts.netloc.rpartition("@")[2]}
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers.update(urllib3.make_headers(basic_auth=credentials))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    failure = None
    for address in addresses:
        pool = connection_pool(parts, address, port, timeout)
        try:
            response = pool.urlopen(
                "POST",
                target,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                assert_same_host=False,
                preload_content=False,
            )
        except urllib3.exceptions.NewConnectionError as error:
            # Nobody there: the next address of the host may answer.
            failure = error
            continue
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as error:
            raise CouldNotConnect(f"{address}: {error}") from error
        else:
            status, response_headers = response.status, dict(response.headers)
            response.release_conn()
            return status, response_headers
        finally:
            pool.close()
    raise CouldNotConnect(str(failure))
