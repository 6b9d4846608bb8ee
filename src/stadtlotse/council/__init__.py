"""Council papers, consultations, meetings, agenda items and mandates."""
