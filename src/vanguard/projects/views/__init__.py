"""Pages of the projects battle, by subject: projects (the list, export, node matrix and a
project's map), milestones (key nodes and their evidence), reports (a unit's dekad report),
certification (the queue), exchange (Excel import and the dekad workbook) and progress
(target progress, the monthly charts and the units' lights).
"""
