"""The board report: a leader's portfolio over a period, for the region board, as PDF and XLSX.

- ``sections``: the report is a list of sections, each made by a registered provider
  (``register_section``): a title, headline figures, a table and optionally a chart;
- ``providers``: the built-in sections (read through the dashboard's selectors and rules);
- ``charts``: bar charts as SVG drawn in Python (no JavaScript, no browser);
- ``pdf``: the HTML rendered in the leader's language and printed by WeasyPrint, which may
  fetch nothing but inline data (local fonts only);
- ``xlsx``: one sheet per section.
"""
