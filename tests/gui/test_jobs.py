"""The one job runner: results and errors arrive on the GUI thread, and thousands of jobs do not crash.

A Qt object released on the worker thread crashed the process now and then (seen with 3,000 jobs
and progress dialogs); the runner now releases everything on the GUI thread.
"""

from PySide6.QtWidgets import QWidget

from fundapp.services.errors import UserCancelled
from fundapp.ui.jobs import JobRunner


def test_many_jobs_with_progress_and_failures(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = JobRunner()
    results, errors = [], []

    def job(control):
        control.progress(1, 2)
        if len(results) % 50 == 7:
            raise ValueError("boom")
        return [[i] for i in range(500)]

    for i in range(1500):
        runner.run(job, results.append, parent=parent, on_failed=errors.append, progress=i % 2 == 0)
        if i % 10 == 0:
            qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)
    assert len(results) + len(errors) == 1500
    assert all(isinstance(e, ValueError) for e in errors)


def test_cancel_reaches_the_job(qtbot):
    runner = JobRunner()
    seen = []

    def job(control):
        control.cancel()
        control.check()

    runner.run(job, seen.append, progress=False, on_failed=seen.append)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    assert len(seen) == 1 and isinstance(seen[0], UserCancelled)


def test_a_page_closed_while_its_job_runs(qtbot):
    """The result of a job whose page was closed meanwhile is dropped, not delivered to a deleted widget."""
    import threading

    runner = JobRunner()
    page = QWidget()
    release = threading.Event()
    delivered = []
    runner.run(lambda control: release.wait(5) and 42, delivered.append, parent=page)
    page.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(page), timeout=5_000)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    assert delivered == []
