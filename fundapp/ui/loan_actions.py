"""The loan page's actions: the dialogs that post on the shown loan (disbursement, repayment or recovery, terms,
reversal, restructuring, relief, write-off); after a write every list is told ("loans") and the page reloads."""

from __future__ import annotations

from typing import Any

from .dialogs.money import DisburseDialog, RepaymentDialog
from .dialogs.reversal import ReverseDialog
from .dialogs.terms import EditTermsDialog
from .event_dialogs import RecoveryDialog, ReliefDialog, RestructureDialog, WriteOffDialog


class LoanActions:
    """Mixed into ``LoanDetail``: uses its ``env``, ``view``, ``events``, ``history``, buttons and ``reload``."""

    def _after_write(self, result: Any) -> None:
        self.env.changes.announce("loans", "borrowers", "applications")
        self.reload()

    def _run(self, dialog) -> Any:
        """Open ``dialog`` modally (tests drive ``make_dialog`` instead)."""
        if dialog.exec() and dialog.result_value is not None:
            self._after_write(dialog.result_value)
        return dialog.result_value

    def make_dialog(self, action: str):
        """The dialog of ``action`` (disburse, repay, recover, terms, reverse) for the shown loan."""
        v = self.view
        if action == "disburse":
            return DisburseDialog(self.env, v.id, v.loan_no, self.env.ctx.today(), self)
        if action == "repay":
            return RepaymentDialog(self.env, v.id, v.loan_no, self.env.ctx.today(), self)
        if action == "terms":
            return EditTermsDialog(self.env, v, self)
        if action in ("restructure", "relief", "write_off"):
            kind = {"restructure": RestructureDialog, "relief": ReliefDialog, "write_off": WriteOffDialog}[action]
            return kind(self.env, v, self.env.ctx.today(), self)
        if action == "recover":
            return RecoveryDialog(self.env, v, self.events, self.env.ctx.today(), self)
        entry = self.history.current_row()
        return ReverseDialog(self.env, entry, self)

    def disburse(self) -> None:
        """Open the disbursement dialog when the button is enabled."""
        if self.disburse_button.isEnabled():
            self._run(self.make_dialog("disburse"))

    def repay(self) -> None:
        # on a written-off loan a repayment is a recovery, and its dialog says so
        """Open the repayment dialog (a recovery's on a written-off loan) when the button is enabled."""
        if self.repay_button.isEnabled():
            written_off = any(h.kind == "write_off" and h.active for h in self.view.history)
            self._run(self.make_dialog("recover" if written_off else "repay"))

    def edit_terms(self) -> None:
        """Open the terms dialog (before the first disbursement) when the button is enabled."""
        if self.terms_button.isEnabled():
            self._run(self.make_dialog("terms"))

    def reverse(self) -> None:
        """Open the reversal dialog for the entry selected in the history when the button is enabled."""
        if self.reverse_button.isEnabled():
            self._run(self.make_dialog("reverse"))
