"""Supervision orders (督办单), the escalation ladder, its proposals and exemptions."""
