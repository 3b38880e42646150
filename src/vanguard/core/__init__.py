"""Leaves every app may use, importing no app: bulk inserts, money, charts, text, form and admin bases."""
