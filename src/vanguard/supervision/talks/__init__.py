"""Talks (约谈), accountability referrals (问责移交) and the referred case's file."""
