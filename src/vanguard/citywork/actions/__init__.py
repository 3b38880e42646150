"""Every write of the third battle's weekly work, by subject; each ``do_<verb>_<noun>``.

Each action runs in one transaction, checks its access through ``org.access``, locks
what it changes and checks its state and version, records the change in the change log
and, when it changes a judged fact, asks for the lights' recompute once it commits.
"""
