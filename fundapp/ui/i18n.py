"""Translation: Vietnamese is the source language of every string; English is the second language.

``tr("Khoản vay")`` returns the text in the language chosen in Settings. Qt ships no Vietnamese
catalogue for its own strings (OK, Cancel, file dialogs…), so ``QtStringsTranslator`` serves them
from ours (Frescobaldi's approach); in PySide6 ``translate`` returns None for a miss.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from .catalog_en import EN

_language = "vi"


def set_language(language: str) -> None:
    global _language
    _language = "en" if language == "en" else "vi"


def language() -> str:
    return _language


def tr(text: str) -> str:
    """The Vietnamese ``text`` in the current language (English from the catalogue, else as is)."""
    if _language == "en":
        return EN.get(text, text)
    return text


# Qt's own strings in Vietnamese: (context, source) → translation
QT_VI = {
    "OK": "Đồng ý",
    "&OK": "Đồng ý",
    "Cancel": "Hủy",
    "&Cancel": "Hủy",
    "Yes": "Có",
    "&Yes": "Có",
    "No": "Không",
    "&No": "Không",
    "Close": "Đóng",
    "&Close": "Đóng",
    "Save": "Lưu",
    "&Save": "Lưu",
    "Open": "Mở",
    "&Open": "Mở",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Discard": "Bỏ qua",
    "Help": "Trợ giúp",
    "Abort": "Hủy bỏ",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Yes to &All": "Có tất cả",
    "N&o to All": "Không tất cả",
    "Restore Defaults": "Khôi phục mặc định",
    "Show Details...": "Xem chi tiết...",
    "Hide Details...": "Ẩn chi tiết...",
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "Look in:": "Tìm trong:",
    "File &name:": "Tên tệp:",
    "File name:": "Tên tệp:",
    "Files of type:": "Loại tệp:",
    "Directory:": "Thư mục:",
    "&Choose": "&Chọn",
    "Back": "Quay lại",
    "Forward": "Tiếp",
    "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "List View": "Dạng danh sách",
    "Detail View": "Dạng chi tiết",
    "Name": "Tên",
    "Size": "Kích thước",
    "Type": "Loại",
    "Date Modified": "Ngày sửa",
    "Print": "In",
    "&Print": "&In",
    "Print Preview": "Xem trước khi in",
    "Printer": "Máy in",
    "Page Setup": "Thiết lập trang",
}


class QtStringsTranslator(QTranslator):
    """Serves Qt's own button and dialog texts in Vietnamese."""

    def translate(self, context, source, disambiguation=None, n=-1):
        if _language != "vi" or not source:
            return None
        return QT_VI.get(source)


def install_qt_translator(app: QCoreApplication) -> QtStringsTranslator:
    translator = QtStringsTranslator(app)
    app.installTranslator(translator)
    return translator
