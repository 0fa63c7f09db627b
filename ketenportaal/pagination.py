"""The API's pagination: `limit` and `offset`, with a ceiling on `limit`.

Without a ceiling a client's `limit=10**30` reaches PostgreSQL as an out-of-range LIMIT and fails
the request (found by the contract tests).
"""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000
