"""Consultation phases, comments, ideas, official answers and moderation."""
