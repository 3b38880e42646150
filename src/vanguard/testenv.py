"""Pytest plugin, loaded with ``-p vanguard.testenv`` before Django starts.

It gives a test run the environment a deployment would set for itself. A real server
never loads it, so the settings keep their no-insecure-defaults rule.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-in-production")
os.environ.setdefault("HUEY_IMMEDIATE", "1")
