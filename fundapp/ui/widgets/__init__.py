"""Reusable widgets by job: ``fields`` (money, date and choice fields, the field-error form), ``tables`` (the table
kit) and ``flow`` (the wrapping layout). Nothing is re-exported here: import from the module.
"""
