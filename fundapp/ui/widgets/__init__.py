"""Reusable widgets by job: ``fields`` (money, date and choice fields, the field-error form), the table kit —
``table_model`` (columns and the model over frozen rows), ``row_filter`` (the search and filter proxy), ``table_view``
(the view, its empty text, the search box) — and ``flow`` (the wrapping layout). Nothing is re-exported here: import
from the module.
"""
