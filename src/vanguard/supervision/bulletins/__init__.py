"""The monthly bulletin (月通报): scoring rules, facts, ranking, the official document."""
