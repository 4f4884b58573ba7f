"""Shared infrastructure that the domain apps (portfolio, partners) build on: in-app
notifications and their e-mail, upload checks, the change-history reader, the CSV writer and
the optimistic-lock check. It knows people (``clinics``) and nothing above."""
