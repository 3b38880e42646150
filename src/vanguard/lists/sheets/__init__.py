"""The units' lists in Excel: one workbook, a sheet of items and a sheet of checkpoints.

``columns``: the headers and the words the sheets write; ``importer``: the office's
workbook loaded through the one import flow; ``export``: the same layout written back,
so that export → import changes nothing.
"""
