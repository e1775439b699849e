"""Cài đặt: the fund's names and signatories, limits and provision rates, wording, the book in use, loan products."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fundapp.formatting import group_thousands, rate_message
from fundapp.ledger.advice import OPEN_IN_WINDOW
from fundapp.services.errors import UserFacingError, ValidationError
from fundapp.services.products import ProductRow, list_products
from fundapp.services.settings import (
    PERCENT_SETTINGS,
    SETTING_LABELS,
    WATCH_DAYS_MAX,
    FundSettings,
    load_settings,
    percent_text,
    provision_rates_text,
    save_settings,
    setting_changes,
    typed_percent,
    typed_provision_rates,
)

from ..dialogs.product import ProductDialog
from ..env import UiEnv
from ..errors import present_error
from ..i18n import tr
from ..messages import confirm
from ..widgets.fields import FieldForm, MoneyEdit
from ..widgets.flow import scroll_area
from ._common import fill_table, page_title, read_only_table

TEXT_FIELDS = (
    ("fund_name", "Tên quỹ"),
    ("parent_body", "Cơ quan chủ quản"),
    ("abbreviation", "Tên viết tắt"),
    ("province", "Tỉnh"),
    ("place", "Địa danh (ghi trên văn bản)"),
    ("address", "Địa chỉ"),
    ("phone", "Điện thoại"),
)
SIGNER_FIELDS = (
    ("director", "Giám đốc"),
    ("deputy_director", "Phó giám đốc"),
    ("chief_accountant", "Kế toán trưởng"),
    ("preparer", "Người lập biểu"),
)
# the labels of the settings the service checks are its SETTING_LABELS: its refusals name each field as labelled here
LIMIT_FIELDS = tuple(  # percentages (services.settings.PERCENT_SETTINGS says which fields are), with the limits
    (name, SETTING_LABELS[name]) for name in ("single_limit_percent", "group_limit_percent", "own_capital_percent"))
ZERO_TENS = (("linh", "linh (một trăm linh năm)"), ("lẻ", "lẻ (một trăm lẻ năm)"))
PERIODS = (("calendar", "Theo năm dương lịch (quý kết thúc 31/3, 30/6, 30/9, 31/12)"),
           ("administrative", "Theo kỳ báo cáo hành chính (Nghị định 09/2019/NĐ-CP)"))
LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))
BANK_FIELDS = (  # VietQR on notices and statements, and collateral (issue 16)
    ("bank_bin", SETTING_LABELS["bank_bin"]),
    ("bank_account", SETTING_LABELS["bank_account"]),
    ("bank_account_name", "Tên tài khoản"),
    ("coverage_threshold_percent", SETTING_LABELS["coverage_threshold_percent"]),
)


def _combo(items: tuple[tuple[str, str], ...]) -> QComboBox:
    box = QComboBox()
    for value, label in items:
        box.addItem(tr(label), value)
    return box


def _label(name: str) -> str:
    """Setting ``name``'s label, as its refusals name it (``services.settings.SETTING_LABELS``), translated."""
    return tr(SETTING_LABELS[name])


def _field_edit(name: str) -> QLineEdit:
    """The line edit of setting ``name``: a percentage's (``PERCENT_SETTINGS``) short and right-aligned."""
    edit = QLineEdit()
    if name in PERCENT_SETTINGS:
        edit.setMaximumWidth(90)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return edit


def _select(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    box.setCurrentIndex(max(index, 0))


class Page(QWidget):
    """Fund settings kept in the book (saved after confirmation) and the default loan products."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.loaded: FundSettings | None = None
        self.products: list[ProductRow] = []
        self.product_dialog: ProductDialog | None = None

        # -- the fund
        self.edits: dict[str, QLineEdit] = {}
        fund_box = QGroupBox(tr("Đơn vị"))
        fund_form = FieldForm(fund_box)
        for name, label in TEXT_FIELDS:
            self.edits[name] = fund_form.add(name, tr(label), QLineEdit())
        signer_box = QGroupBox(tr("Người ký văn bản"))
        signer_form = FieldForm(signer_box)
        for name, label in SIGNER_FIELDS:
            self.edits[name] = signer_form.add(name, tr(label), QLineEdit())
        self.deputy_signs = QCheckBox(tr("Phó giám đốc ký thay (KT. GIÁM ĐỐC)"))
        signer_form.add("deputy_signs", "", self.deputy_signs)

        # -- limits and provisions
        limits_box = QGroupBox(tr("Hạn mức cho vay và trích lập dự phòng"))
        limits_form = FieldForm(limits_box)
        self.charter_capital = limits_form.add("charter_capital", _label("charter_capital"), MoneyEdit())
        for name, label in LIMIT_FIELDS:
            self.edits[name] = limits_form.add(name, tr(label), _field_edit(name))
        self.provision_rates = limits_form.add("provision_rates", _label("provision_rates"), QLineEdit())
        self.provision_rates.setPlaceholderText("0; 2; 25; 50; 100")
        self.provision_rates.setToolTip(tr("Năm tỷ lệ (%) cho nhóm nợ 1 đến 5, cách nhau bằng dấu chấm phẩy; phần "
                                           "thập phân sau dấu phẩy (0,5)"))
        self.watch_days = limits_form.add("watch_days", _label("watch_days"), QSpinBox())
        self.watch_days.setRange(1, WATCH_DAYS_MAX)
        self.watch_days.setToolTip(tr("Nợ cơ cấu lại hoặc được miễn, giảm lãi giữ nhóm nợ cao hơn cho đến khi đủ số "
                                      "ngày này liên tục không quá hạn và một kỳ sau đó được trả đủ đúng hạn "
                                      "(mặc định 90 ngày)"))

        # -- wording
        wording_box = QGroupBox(tr("Cách viết và kỳ báo cáo"))
        wording_form = FieldForm(wording_box)
        self.zero_tens = wording_form.add("zero_tens", _label("zero_tens"), _combo(ZERO_TENS))
        self.period_convention = wording_form.add("period_convention", tr("Kỳ báo cáo"), _combo(PERIODS))
        self.language = wording_form.add("language", tr("Ngôn ngữ giao diện"), _combo(LANGUAGES))
        note = QLabel(tr("Ngôn ngữ mới được áp dụng từ lần mở chương trình sau."))
        note.setStyleSheet("color: palette(dark);")
        note.setWordWrap(True)
        wording_form.addRow("", note)
        bank_box = QGroupBox(tr("Ngân hàng (mã VietQR) và tài sản bảo đảm"))
        bank_form = FieldForm(bank_box)
        for name, label in BANK_FIELDS:
            self.edits[name] = bank_form.add(name, tr(label), _field_edit(name))
        self.revaluation_months = bank_form.add("revaluation_months", _label("revaluation_months"), QSpinBox())
        self.revaluation_months.setRange(1, 120)
        from ..papers import TemplatesBox

        self.templates_box = TemplatesBox(env)
        self.forms = (fund_form, signer_form, limits_form, wording_form, bank_form)

        # -- the book in use
        book_box = QGroupBox(tr("Sổ đang dùng"))
        self.book = QLineEdit(self._book_text())
        self.book.setReadOnly(True)
        self.book.setCursorPosition(0)
        self.test_button = QPushButton(tr("Kiểm tra kết nối"))
        self.test_button.clicked.connect(self.test_book)
        self.test_button.setVisible(self.is_server_book())
        self.book_result = QLabel("")
        self.book_result.setWordWrap(True)
        self.book_result.hide()
        book_layout = QGridLayout(book_box)
        book_layout.addWidget(self.book, 0, 0)
        book_layout.addWidget(self.test_button, 0, 1)
        book_layout.addWidget(self.book_result, 1, 0, 1, 2)
        hint = QLabel(tr("Đổi sổ: {menu}, hoặc mở chương trình với tham số --db (tệp SQLite hoặc địa chỉ "
                         "PostgreSQL).").format(menu=OPEN_IN_WINDOW))  # the menu's own words (ledger.advice)
        hint.setStyleSheet("color: palette(dark);")
        hint.setWordWrap(True)
        book_layout.addWidget(hint, 2, 0, 1, 2)

        # -- loan products
        products_box = QGroupBox(tr("Sản phẩm vay mặc định"))
        self.product_table = read_only_table(
            [tr("Mã"), tr("Tên sản phẩm"), tr("Lãi suất"), tr("Thời hạn"), tr("Kỳ trả"), tr("Cho vay tối đa (đồng)")],
            tr("Chưa có sản phẩm vay nào: thêm một sản phẩm để hồ sơ mới lấy sẵn điều kiện vay."))
        header = self.product_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.product_table.setMinimumHeight(120)
        self.add_product_button = QPushButton(tr("Thêm sản phẩm…"))
        self.add_product_button.clicked.connect(self.add_product)
        products_layout = QVBoxLayout(products_box)
        products_row = QHBoxLayout()
        products_hint = QLabel(tr("Điều kiện vay gợi ý khi thẩm định hồ sơ; cán bộ vẫn sửa được cho từng khoản vay."))
        products_hint.setStyleSheet("color: palette(dark);")
        products_hint.setWordWrap(True)
        products_row.addWidget(products_hint, 1)
        products_row.addWidget(self.add_product_button)
        products_layout.addLayout(products_row)
        products_layout.addWidget(self.product_table)

        # -- page
        left = QVBoxLayout()
        left.addWidget(fund_box)
        left.addWidget(signer_box)
        left.addWidget(bank_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(limits_box)
        right.addWidget(wording_box)
        right.addWidget(book_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        title = page_title(tr("Cài đặt của quỹ"))
        body_layout.addWidget(title)
        body_layout.addLayout(columns)
        body_layout.addWidget(products_box)
        body_layout.addWidget(self.templates_box)
        scroll = scroll_area(body)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.reload_button = QPushButton(tr("Hoàn tác thay đổi"))
        self.reload_button.clicked.connect(self.refresh)
        self.save_button = QPushButton(tr("Lưu cài đặt"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.reload_button)
        bottom.addWidget(self.save_button)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 6)
        outer.addWidget(scroll, 1)
        bottom.setContentsMargins(9, 0, 9, 0)
        outer.addLayout(bottom)
        env.changes.changed.connect(self._on_changed)

    # -- the book ----------------------------------------------------------------------------------
    def _book_text(self) -> str:
        from fundapp.app import book_description

        return book_description(self.env.ctx)

    def is_server_book(self) -> bool:
        """True when the open book is on a database server (a PostgreSQL URL), not a SQLite file."""
        return "://" in self.env.ctx.db.url and not self.env.ctx.db.url.startswith("sqlite")

    def test_book(self) -> None:
        """Ask the book's server for one row (PostgreSQL): say which server answered, or why not."""
        from fundapp.services.connection import test_connection

        url = self.env.ctx.db.url
        self.book_result.setStyleSheet("")
        self.book_result.setText(tr("Đang kết nối…"))
        self.book_result.show()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserFacingError):
                self.book_result.setStyleSheet("color: #b00020;")
                self.book_result.setText(exc.message)
            else:
                self.book_result.setText("")
                present_error(self, exc)

        def done(text: str) -> None:
            self.book_result.setStyleSheet("color: #1b6e2d;")
            self.book_result.setText(text)

        self.env.jobs.run(lambda control: test_connection(url), done, parent=self, label=tr("Đang kết nối…"),
                          on_failed=failed, read_only=True)

    # -- loading -----------------------------------------------------------------------------------
    def _on_changed(self, topics: frozenset) -> None:
        if "book" in topics:
            self.book.setText(self._book_text())
            self.refresh()

    def refresh(self) -> None:
        """Read the settings and the products from the book (on the worker thread)."""
        ctx = self.env.ctx
        self.env.jobs.run(lambda control: (load_settings(ctx), list_products(ctx)), self._loaded, parent=self,
                          label=tr("Đang đọc cài đặt…"), read_only=True)

    def _loaded(self, result: tuple[FundSettings, list[ProductRow]]) -> None:
        settings, products = result
        for form in self.forms:
            form.clear_errors()
        self._fill(settings)
        self._show_products(products)

    def _fill(self, settings: FundSettings) -> None:
        """Show ``settings`` in the fields: the percentages and provision rates as the officer types them, with the
        decimal comma and no exponent («0,0000001», never «1E-7»)."""
        self.loaded = settings
        for name, edit in self.edits.items():
            value = str(getattr(settings, name))
            edit.setText(percent_text(value) if name in PERCENT_SETTINGS else value)
            edit.setCursorPosition(0)
        self.deputy_signs.setChecked(settings.deputy_signs)
        self.charter_capital.setValue(settings.charter_capital)
        self.provision_rates.setText(provision_rates_text(settings.provision_rates))
        self.revaluation_months.setValue(settings.revaluation_months)
        self.watch_days.setValue(settings.watch_days)
        _select(self.zero_tens, settings.zero_tens)
        _select(self.period_convention, settings.period_convention)
        _select(self.language, settings.language)

    def _show_products(self, products: list[ProductRow]) -> None:
        self.products = list(products)
        fill_table(self.product_table, [
            [p.code, p.name, str(rate_message(p.rate, p.rate_unit)),
             _months(p.term_months), _months(p.frequency_months),
             group_thousands(p.max_amount) if p.max_amount else "—"]
            for p in products
        ], right_from=2)

    # -- saving ------------------------------------------------------------------------------------
    def values(self) -> FundSettings:
        """The settings as typed (raises ValidationError naming the field for an amount that is not one)."""
        base = self.loaded or FundSettings()
        texts = {name: edit.text().strip() for name, edit in self.edits.items()}
        for name in PERCENT_SETTINGS:  # as typed: «15 %» and «15\u202f%» read, «1_5» does not
            texts[name] = typed_percent(name, self.edits[name].text())
        try:
            capital = self.charter_capital.value() if self.charter_capital.text().strip() else 0
        except ValueError as err:
            raise ValidationError(getattr(err, "msg", str(err)), field="charter_capital") from None
        return replace(base, **texts, deputy_signs=self.deputy_signs.isChecked(), charter_capital=capital,
                       provision_rates=typed_provision_rates(self.provision_rates.text()),
                       zero_tens=self.zero_tens.currentData(), period_convention=self.period_convention.currentData(),
                       language=self.language.currentData(), revaluation_months=self.revaluation_months.value(),
                       watch_days=self.watch_days.value())

    def show_error(self, exc: BaseException) -> None:
        """A ValidationError goes beside its field; anything else to the error presenter."""
        if isinstance(exc, ValidationError):
            for form in self.forms:
                if form.show_error(exc.field, exc.message):
                    self.status.setStyleSheet("color: #b00020;")
                    self.status.setText(tr("Chưa lưu: sửa ô được đánh dấu."))
                    return
        present_error(self, exc)

    def save(self) -> None:
        """Check, ask, and store every setting in one transaction; announce("settings")."""
        for form in self.forms:
            form.clear_errors()
        self.status.setText("")
        try:
            settings = self.values()
        except ValidationError as err:
            self.show_error(err)
            return
        # compared as values: a book whose older page stored «1E-7» shows «0,0000001», and that is no change
        if self.loaded is not None and not setting_changes(self.loaded, settings):
            self.status.setStyleSheet("")
            self.status.setText(tr("Không có thay đổi nào để lưu."))
            return
        if not confirm(self, tr("Lưu cài đặt"), tr("Lưu các cài đặt đã sửa vào sổ? Các văn bản lập sau đó sẽ dùng "
                                                   "cài đặt mới."), default_yes=False):
            return
        ctx = self.env.ctx
        language_changed = self.loaded is not None and settings.language != self.loaded.language

        def done(saved: FundSettings) -> None:
            self._fill(saved)  # as stored: «1E-7» typed reads «0,0000001»
            self.status.setStyleSheet("color: #1b6e2d;")
            text = tr("Đã lưu cài đặt.")
            if language_changed:
                text += " " + tr("Ngôn ngữ mới được áp dụng từ lần mở chương trình sau.")
            self.status.setText(text)
            self.env.changes.announce("settings")

        loaded = self.loaded  # what this page showed: a setting another officer saved meanwhile is kept
        self.env.jobs.run(lambda control: save_settings(ctx, settings, loaded), done, parent=self,
                          label=tr("Đang lưu cài đặt…"), on_failed=self.show_error)

    # -- products ----------------------------------------------------------------------------------
    def add_product(self) -> ProductDialog:
        """Open the new product form (window-modal, not blocking); the table reloads after it saved."""
        self.product_dialog = ProductDialog(self.env, self)
        self.product_dialog.saved.connect(lambda _row: self._reload_products())
        self.product_dialog.open()
        return self.product_dialog

    def _reload_products(self) -> None:
        ctx = self.env.ctx
        self.env.jobs.run(lambda control: list_products(ctx), self._show_products, parent=self, read_only=True)
        self.env.changes.announce("settings")


def _months(n: int) -> str:
    # "1 month", "{n} months": the singular has its own msgid (Vietnamese has no plural)
    return tr("1 tháng") if n == 1 else tr("{n} tháng").format(n=n)
