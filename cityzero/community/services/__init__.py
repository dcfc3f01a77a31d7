"""Writes of the community app, one module per family of use cases; one transaction each.

Other apps tell people things through ``notify`` (imported from here).
"""

from cityzero.community.services.notifications import mark_read, notify

__all__ = ["mark_read", "notify"]
