"""English texts for the GUI's Vietnamese strings (the second language). Missing entries stay Vietnamese."""

EN: dict[str, str] = {
    "Tổng quan": "Overview",
    "Khách hàng": "Borrowers",
    "Hồ sơ vay": "Applications",
    "Khoản vay": "Loans",
    "Báo cáo": "Reports",
    "Nhập dữ liệu": "Import",
    "Cài đặt": "Settings",
    "Sổ đang dùng": "Book in use",
    "Tìm kiếm": "Search",
    "Đang xử lý…": "Working…",
    "Hủy": "Cancel",
    "Lỗi": "Error",
    "Không thể thực hiện": "Cannot do that",
    "Đã xảy ra lỗi không mong muốn": "An unexpected error occurred",
    "Xác nhận": "Confirm",
}
