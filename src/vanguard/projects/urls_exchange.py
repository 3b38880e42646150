"""Routes of the projects' Excel import and the dekad-report workbook."""

urlpatterns = []
