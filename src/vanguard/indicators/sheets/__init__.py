"""The indicators' Excel sheets: the statistics bureau's monthly table, by subject.

- ``table``: how the bureau lays the table out (headers, the month a sheet is for, cells);
- ``statistics_import``: the table imported, checked in a dry run and applied at once;
- ``statistics_export``: the table for download, one sheet per month.
"""
