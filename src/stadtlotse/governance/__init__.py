"""Departments' people, bodies with members and composition rules, digital pilots."""
