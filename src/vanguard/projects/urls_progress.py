"""Routes of target progress and the monthly progress charts (进度图)."""

urlpatterns = []
