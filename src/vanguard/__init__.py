"""Vanguard (先锋): campaign command and supervision platform."""
