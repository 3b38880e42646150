"""Pages of the units' lists: the list, an item, reporting, verification, the workbook."""
