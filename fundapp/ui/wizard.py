"""First start with no book: create a new book, open a file, connect to a PostgreSQL server, or open the demo book."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
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
from .widgets.fields import error_label, ok_cancel

CHOICES = (
    ("new", "Tạo sổ mới cho Quỹ"),
    ("file", "Mở một tệp sổ có sẵn (.sqlite)"),
    ("server", "Kết nối sổ dùng chung trên máy chủ PostgreSQL"),
    ("demo", "Mở sổ mẫu (dữ liệu minh họa 2022–2024)"),
)


def default_book() -> Path:
    """The book file used when none is chosen (the user's data folder)."""
    from fundapp.services.connection import default_book_path

    return default_book_path()


def _in_own_folder(path: Path) -> Path:
    """``path``, its folder made first when it is the program's own (the per-user data folder of ``default_book``,
    not there before the first start); any other folder is the officer's and a missing one is refused when the book
    is opened. Raises UserFacingError (the file system's reason) when the folder cannot be made."""
    if path.parent == default_book().parent:
        from fundapp.domain.messages import Verbatim
        from fundapp.services.errors import os_error_text

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UserFacingError(Verbatim(os_error_text(err))) from None
    return path


class FundFields:
    """The fund's identity as the first documents print it: name, province (chosen, never assumed), address,
    director, chief accountant. Used by the first-run wizard and by the prompt for a book that has none."""

    def __init__(self, form: QFormLayout) -> None:
        from fundapp.services.places import provinces

        self.province = QComboBox()
        self.province.addItems(list(provinces()))
        self.province.setCurrentIndex(-1)
        self.province.setPlaceholderText(tr("— chọn tỉnh của Quỹ —"))
        self.fund_name = QLineEdit()
        self.fund_name.setPlaceholderText("QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH …")  # as documents print it
        self.address = QLineEdit()
        self.director = QLineEdit()
        self.accountant = QLineEdit()
        self.province.currentTextChanged.connect(self._province_chosen)
        self.fund_name.textEdited.connect(lambda _t: self.fund_name.setProperty("suggested", False))
        form.addRow(tr("Tỉnh"), self.province)
        form.addRow(tr("Tên Quỹ"), self.fund_name)
        form.addRow(tr("Địa chỉ"), self.address)
        form.addRow(tr("Giám đốc"), self.director)
        form.addRow(tr("Kế toán trưởng"), self.accountant)

    def _province_chosen(self, province: str) -> None:
        """Suggest the usual name of the province's fund until the officer types one."""
        if province and (not self.fund_name.text().strip() or self.fund_name.property("suggested")):
            self.fund_name.setText(f"QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ {province.upper()}")
            self.fund_name.setProperty("suggested", True)

    def settings(self, base):
        """``base`` (a FundSettings) with the fund's identity as entered; UserFacingError when a name is missing."""
        from dataclasses import replace

        province = self.province.currentText().strip()
        if not province:
            raise UserFacingError(tr("Chọn tỉnh của Quỹ: tên tỉnh được in trên mọi văn bản"))
        name = self.fund_name.text().strip()
        if not name:
            raise UserFacingError(tr("Nhập tên Quỹ: tên Quỹ được in trên mọi văn bản"))
        place = province.replace("Tỉnh ", "").replace("Thành phố ", "")
        return replace(base, fund_name=name.upper(), province=province, place=place,
                       parent_body=f"LIÊN MINH HỢP TÁC XÃ {province.upper()}", address=self.address.text().strip(),
                       director=self.director.text().strip(), chief_accountant=self.accountant.text().strip())


class FundNameDialog(QDialog):
    """A book with no fund name yet (created by ``--db new.sqlite``): ask for it before the first document, so no
    document prints a province the fund never entered. Saves on Đồng ý; "Để sau" leaves the book unchanged."""

    def __init__(self, ctx, book: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Thông tin Quỹ"))
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Sổ «{book}» chưa có tên Quỹ. Nhập tỉnh và tên Quỹ để in lên các văn bản "
                          "(sửa sau ở trang Cài đặt).").format(book=book))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.fund = FundFields(form)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, tr("Lưu"), tr("Để sau")))
        self.setMinimumWidth(560)

    def accept(self) -> None:
        """Store the fund's identity in the book (one small write, like the wizard's); errors stay in the dialog."""
        from fundapp.services.settings import load_settings, save_settings

        self.error.clear()
        try:
            save_settings(self.ctx, self.fund.settings(load_settings(self.ctx)))
        except UserFacingError as err:
            self.error.setText(err.message)
            return
        super().accept()


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
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, tr("Bắt đầu"), tr("Thoát")))
        self.group.idToggled.connect(lambda i, on: on and self.stack.setCurrentIndex(i))
        self.radios["new"].setChecked(True)
        self.resize(620, 460)

    def _new_form(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.fund = FundFields(form)
        # the names tests and older code use
        self.fund_name, self.province, self.address = self.fund.fund_name, self.fund.province, self.fund.address
        self.director, self.accountant = self.fund.director, self.fund.accountant
        self.new_path = QLineEdit(str(default_book()))
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
        """The start chosen (a key of ``CHOICES``: new book, a book file, a shared PostgreSQL book, the sample book)."""
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

            path = _in_own_folder(Path(self.new_path.text().strip() or default_book()))
            if path.exists():
                raise UserFacingError(tr("Tệp này đã có: chọn «Mở một tệp sổ có sẵn» hoặc đặt tên khác"))
            settings = self.fund.settings(FundSettings())
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

        demo = _in_own_folder(default_book().with_name("demo.sqlite"))
        if not demo.exists():
            create_demo_book(demo)
        return str(demo)


def fund_ready(parent: QWidget, env, retry: Callable[[], None]) -> bool:
    """Before a document: True when the book holds the fund's name (then make the document now). Otherwise False,
    and the book is asked (job runner); a named book calls ``retry()``; an unnamed one shows ``FundNameDialog``
    first and calls ``retry()`` once the name is saved ("Để sau" makes no document: none prints a province the
    fund never entered)."""
    if env.fund_named:
        return True
    from fundapp.app import book_description
    from fundapp.services.settings import fund_named

    def answered(named: bool) -> None:
        if not named:
            dialog = FundNameDialog(env.ctx, book_description(env.ctx), parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            env.changes.announce("settings")
        env.fund_named = True
        retry()

    ctx = env.ctx
    env.jobs.run(lambda _c: fund_named(ctx), answered, parent=parent, progress=False, read_only=True)
    return False
