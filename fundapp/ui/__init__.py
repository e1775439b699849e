"""PySide6 GUI: main window, pages, table models, dialogs, widgets, workers. Never computes money."""
