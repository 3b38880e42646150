"""Pages of the indicators battle, by subject: indicators (the month's overview and an
indicator's page), figures (entering an indicator's figures), exchange (the statistics
table's import and download), outlook (the forecast) and pack (the monthly scheduling pack).
"""
