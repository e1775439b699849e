"""First start with no book: create a new book, open a file, connect to a PostgreSQL server, or open the demo book."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fundapp.services.errors import UserFacingError

from .i18n import tr

CHOICES = (
    ("new", "Tạo sổ mới cho Quỹ"),
    ("file", "Mở một tệp sổ có sẵn (.sqlite)"),
    ("server", "Kết nối sổ dùng chung trên máy chủ PostgreSQL"),
    ("demo", "Mở sổ mẫu (dữ liệu minh họa 2022–2024)"),
)


def default_book() -> Path:
    from fundapp.services.connection import default_book_path

    return default_book_path()


class FirstRunWizard(QDialog):
    """Asks which book to use; ``book`` holds the chosen path or URL after it is accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Bắt đầu sử dụng fundapp"))
        self.book: str | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Chưa có sổ cho vay trên máy này. Chọn một cách bắt đầu:"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for i, (key, text) in enumerate(CHOICES):
            radio = QRadioButton(tr(text))
            self.group.addButton(radio, i)
            self.radios[key] = radio
            layout.addWidget(radio)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.stack.addWidget(self._new_form())
        self.stack.addWidget(self._file_form())
        self.stack.addWidget(self._server_form())
        demo = QLabel(tr("Sổ mẫu: khoảng 30 hợp tác xã của tỉnh Quảng Trị; năm 2023 tài trợ 27 dự án, giải ngân "
                         "9.450.000.000 đ, dư nợ cuối năm 14.500.000.000 đ. Dùng để làm quen, không dùng cho sổ thật."))
        demo.setWordWrap(True)
        self.stack.addWidget(demo)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Bắt đầu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Thoát"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.group.idToggled.connect(lambda i, on: on and self.stack.setCurrentIndex(i))
        self.radios["new"].setChecked(True)
        self.resize(620, 460)

    def _new_form(self) -> QWidget:
        from fundapp.services.places import provinces

        page = QWidget()
        form = QFormLayout(page)
        self.fund_name = QLineEdit("QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ")
        self.province = QComboBox()
        self.province.addItems(list(provinces()))
        self.province.setCurrentText("Tỉnh Quảng Trị")
        self.address = QLineEdit()
        self.director = QLineEdit()
        self.accountant = QLineEdit()
        self.new_path = QLineEdit(str(default_book()))
        form.addRow(tr("Tên Quỹ"), self.fund_name)
        form.addRow(tr("Tỉnh"), self.province)
        form.addRow(tr("Địa chỉ"), self.address)
        form.addRow(tr("Giám đốc"), self.director)
        form.addRow(tr("Kế toán trưởng"), self.accountant)
        form.addRow(tr("Tệp sổ"), self.new_path)
        return page

    def _file_form(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        self.file_path = QLineEdit()
        self.file_path.setPlaceholderText(tr("đường dẫn tới tệp .sqlite"))
        browse = QPushButton(tr("Chọn tệp…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.file_path, 1)
        row.addWidget(browse)
        return page

    def _server_form(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql+psycopg://canbo:matkhau@192.168.1.10/quyhtx")
        test = QPushButton(tr("Kiểm tra kết nối"))
        test.clicked.connect(self._test)
        self.url_result = QLabel()
        self.url_result.setWordWrap(True)
        col.addWidget(self.url)
        col.addWidget(test)
        col.addWidget(self.url_result)
        return page

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Mở tệp sổ"), str(default_book().parent),
                                              tr("Sổ fundapp (*.sqlite);;Mọi tệp (*)"))
        if path:
            self.file_path.setText(path)

    def _test(self) -> None:
        from fundapp.services.connection import test_connection

        try:
            self.url_result.setText(test_connection(self.url.text()))
        except UserFacingError as err:
            self.url_result.setText(err.message)

    def choice(self) -> str:
        return CHOICES[self.group.checkedId()][0]

    def accept(self) -> None:
        """Prepare the chosen book (create it, check it); errors stay in the dialog."""
        self.error.clear()
        try:
            self.book = self._prepare(self.choice())
        except UserFacingError as err:
            self.error.setText(err.message)
            return
        super().accept()

    def _prepare(self, choice: str) -> str:
        if choice == "new":
            from fundapp.services.connection import create_book
            from fundapp.services.settings import FundSettings

            path = Path(self.new_path.text().strip() or default_book())
            if path.exists():
                raise UserFacingError(tr("Tệp này đã có: chọn «Mở một tệp sổ có sẵn» hoặc đặt tên khác"))
            province = self.province.currentText()
            place = province.replace("Tỉnh ", "").replace("Thành phố ", "")
            settings = FundSettings(fund_name=self.fund_name.text().strip().upper(), province=province, place=place,
                                    parent_body=f"LIÊN MINH HỢP TÁC XÃ {province.upper()}",
                                    address=self.address.text().strip(), director=self.director.text().strip(),
                                    chief_accountant=self.accountant.text().strip())
            create_book(str(path), settings)
            return str(path)
        if choice == "file":
            path = Path(self.file_path.text().strip())
            if not path.is_file():
                raise UserFacingError(tr("Chọn một tệp sổ có sẵn"))
            from fundapp.services.backup import check_backup

            check_backup(path)  # a sound fundapp book of this or an older version
            return str(path)
        if choice == "server":
            from fundapp.services.connection import test_connection

            test_connection(self.url.text().strip())
            return self.url.text().strip()
        from fundapp.services.demo import create_demo_book

        demo = default_book().with_name("demo.sqlite")
        if not demo.exists():
            create_demo_book(demo)
        return str(demo)
