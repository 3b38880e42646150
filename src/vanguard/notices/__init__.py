"""Notices: the in-app inbox, e-mail and group robots, for every app to tell people things."""
