"""Form dialogs by job: ``form`` (the base and the figures grid), ``borrower``, ``money`` (disbursement and
repayment), ``reversal``, ``application_steps`` and ``terms``. Nothing is re-exported here: import from the module.
"""
