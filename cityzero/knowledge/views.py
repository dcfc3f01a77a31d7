"""Being written: the knowledge pages (search, entry, contribute, moderation, collections)."""


def search(request):
    raise NotImplementedError


contribute = moderation = bookmarks = search


def collection(request, slug):
    raise NotImplementedError


entry = edit = collection
