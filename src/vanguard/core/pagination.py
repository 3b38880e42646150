"""Page-numbered API lists whose page number stays within what a database can offset."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

# Far beyond any list here (a million pages of 100); a larger number would overflow the
# database's OFFSET and answer 500 instead of a 422 that names the parameter.
MAX_PAGE = 1_000_000


class PageNumberPagination(NinjaPageNumberPagination):
    """``?page=N&page_size=M`` with ``page`` between 1 and MAX_PAGE."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)
