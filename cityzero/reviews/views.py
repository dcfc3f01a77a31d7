def submission(request, slug, number):
    raise NotImplementedError


def inbox(request):
    raise NotImplementedError


def pipeline(request):
    raise NotImplementedError


def scorecard(request, pk):
    raise NotImplementedError
