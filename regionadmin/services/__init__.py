"""Writes of the region administration pages. Each service checks
``clinics.access.region_can_administer`` for the region it writes in, so the pages, a script
and a test are held by the same rule, and records who changed what (django-simple-history)."""
