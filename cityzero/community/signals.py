"""The group directory and the events list are cached for anonymous visitors: any change to a
group, its members, an event or its registrations makes them fresh. A shared file's stored copy
goes with its row."""

from cityzero.community.models import Event, Group, GroupMembership, Registration, SharedFile
from cityzero.core.cache import invalidate_on_change
from cityzero.core.uploads import delete_files_with_rows

invalidate_on_change(Group, GroupMembership, Event, Registration)
delete_files_with_rows(SharedFile)
