"""Video-meeting providers behind one interface (base.VideoProvider), chosen by name."""

import os

from flask import current_app

from .base import MeetingInfo, ProviderError, VideoProvider
from .bigbluebutton import BigBlueButtonProvider
from .jitsi import JitsiProvider
from .manual import ManualLinkProvider

__all__ = ["MeetingInfo", "ProviderError", "VideoProvider", "get_provider"]


def _setting(name: str, default=None):
    """app.config first (tests, instance config), then the environment."""
    value = current_app.config.get(name) if current_app else None
    return value if value not in (None, "") else os.environ.get(name, default)


def get_provider(name: str, *, manual_url: str | None = None) -> VideoProvider | None:
    """The adapter for a provider name (a VideoProvider enum value); None for "none".
    Raises ProviderError when the provider is not configured on this site."""
    name = str(name)
    if name == "none":
        return None
    if name == "manual":
        return ManualLinkProvider(manual_url)
    if name == "jitsi":
        return JitsiProvider(_setting("JITSI_BASE_URL"))
    if name == "bigbluebutton":
        return BigBlueButtonProvider(
            _setting("BBB_URL"),
            _setting("BBB_SECRET"),
            checksum=_setting("BBB_CHECKSUM", "sha1"),
            timeout=float(_setting("BBB_TIMEOUT", 10)),
        )
    raise ValueError(f"unknown video provider {name!r}")
