"""Remove an attachment's stored copy once its row is gone (a request deleted takes its files)."""

from cityzero.core.uploads import delete_files_with_rows
from cityzero.support.models import RequestAttachment

delete_files_with_rows(RequestAttachment)
