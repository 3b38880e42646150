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

    def paginate_queryset(self, queryset, pagination, request, **params):
        """The page's items, counted without a COUNT query when the page tells the count.

        A page shorter than a full one (and not past the end) is the last: the count is
        its offset and its length. Most lists a client reads (a project's reports, one
        dekad of a unit) fit in one page, and counting them cost a query each.
        """
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        items = queryset[offset : offset + page_size]
        if not hasattr(items, "_fetch_all"):
            return super().paginate_queryset(queryset, pagination, request, **params)
        items = list(items)
        if len(items) < page_size and (items or offset == 0):
            count = offset + len(items)
        else:
            count = self._items_count(queryset)
        return {self.items_attribute: items, "count": count}
