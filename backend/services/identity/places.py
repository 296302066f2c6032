"""Roughly where a client address is, told to the citizen beside each session.

Kept simple and offline on purpose: an address in a private, loopback or
link-local range is "the local network"; any other is shown as its network
(the /16 of IPv4, the /32 of IPv6), which says which provider and region
without naming the household. No table of countries is shipped: every
well-kept one needs a licence key and a download to stay current.
"""
from __future__ import annotations

import ipaddress

LOCAL_NETWORK = "local network"


def approximate(address: str | None) -> str | None:
    if not address:
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if parsed.is_private or parsed.is_loopback or parsed.is_link_local:
        return LOCAL_NETWORK
    prefix = 16 if parsed.version == 4 else 32
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))
