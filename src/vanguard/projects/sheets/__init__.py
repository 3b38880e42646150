"""The projects' Excel sheets, by subject.

- ``columns``: the project sheet's columns and the words the sheets write (kinds, stages);
- ``project_import``: the project sheet imported, created or updated by project code;
- ``project_export``: the project sheet for download (a list, the node matrix, the template);
- ``dekad``: the dekad report workbook a unit downloads prefilled, fills in and uploads.
"""
