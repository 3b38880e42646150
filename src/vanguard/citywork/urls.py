"""Routes of city work (城市更新管理)."""

app_name = "citywork"
urlpatterns = []
