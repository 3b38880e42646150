"""Supervision: status lights (亮灯), supervision orders, talks, referrals, the monthly bulletin."""
