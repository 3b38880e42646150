"""Major projects: pipeline, key nodes, dekad reports and certification (旬调度、旬认定)."""
