"""Form dialogs by job: ``form`` (the base and the figures grid), ``borrower``, ``money`` (disbursement and
repayment), ``reversal``, ``application_steps``, ``terms`` and ``product`` (a new loan product). Nothing is
re-exported here: import from the module.
"""
