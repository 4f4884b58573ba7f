"""Shared infrastructure that the domain apps (portfolio, partners) build on: in-app
notifications and their e-mail, upload checks, the change-history reader, the CSV writer
(``core.csv``), the optimistic-lock check (``core.concurrency``) and the form-error adapter
(``core.forms``). It knows people (``clinics``) and nothing above."""
