"""Recruiting stem-cell trials near a place, live from ClinicalTrials.gov; no discord here."""
