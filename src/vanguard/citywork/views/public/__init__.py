"""The public pages of city work: the citizens' photo report and its tracking page."""
