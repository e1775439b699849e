"""English texts of the life-event dialogs and the loan page's events (issue 15); merged into ``catalog_en.EN``."""

EVENTS_EN: dict[str, str] = {
    "Ngày": "Date",
    "Số quyết định": "Decision number",
    "Lý do": "Reason",
    "ví dụ: thiệt hại do bão lũ tháng 10/2024": "e.g. storm and flood damage in October 2024",
    "để trống: tự đánh số {prefix}-năm-số": "leave empty: numbered {prefix}-year-number",
    "Phải ghi lý do (ví dụ: thiệt hại do bão lũ)": "A reason is required (e.g. storm and flood damage)",
    "Sau khi ghi, chỉ có thể hủy bằng bút toán hủy (đảo).": "Once posted, it can only be undone by a reversal.",
    # restructuring
    "Cơ cấu lại nợ — khoản vay {no}": "Restructure — loan {no}",
    "Điều chỉnh kỳ hạn trả nợ, gia hạn nợ. Khoản vay trả nợ {f} tháng một kỳ: số tháng gia hạn là bội số của {f}.":
        "Reschedule or extend the repayments. The loan repays every {f} months: the extension is a multiple of {f}.",
    "Số tháng gia hạn": "Extension (months)",
    "Số kỳ ân hạn gốc (từ kỳ đầu sau ngày cơ cấu)": "Grace periods (from the first installment after the date)",
    "Kết quả cơ cấu lại": "What it does",
    "Lịch trả nợ hiện tại": "Schedule now",
    "Lịch trả nợ sau khi cơ cấu lại": "Schedule after the restructuring",
    "Dư nợ gốc được cơ cấu lại": "Principal restructured",
    "Lãi đến hạn chưa trả chuyển sang kỳ đầu sau ngày cơ cấu": "Unpaid interest deferred to the first installment after",
    "Hạn trả nợ cuối cùng": "Last due date",
    "Lần cơ cấu lại": "Restructuring number",
    "Nhóm nợ sau cơ cấu lại": "Debt group after it",
    "nhóm {g} (trước đó nhóm {b})": "group {g} (was group {b})",
    "Thông tư 14/2024, Điều 5: cơ cấu lại lần {r}, {d} ngày quá hạn theo lịch mới → nhóm {rule}; theo số ngày quá "
    "hạn: nhóm {days}; lấy nhóm cao hơn trong thời gian theo dõi.":
        "Circular 14/2024, Art. 5: restructuring {r}, {d} days past due on the new schedule → group {rule}; by days "
        "past due alone: group {days}; the riskier applies while the watch holds.",
    "Hết theo dõi khi khoản vay đủ {n} ngày liên tục không quá hạn và kỳ đến hạn {due} được trả đủ đúng hạn: sớm nhất "
    "hết ngày {end}.":
        "The watch ends after {n} consecutive days without arrears once the installment due {due} is paid in full on "
        "time: at the earliest at the end of {end}.",
    "Xác nhận cơ cấu lại nợ": "Confirm the restructuring",
    "Cơ cấu lại nợ khoản vay {no} ngày {on}: gia hạn {e} tháng, ân hạn gốc {g} kỳ?":
        "Restructure loan {no} on {on}: extend by {e} months, {g} grace periods?",
    # relief
    "Miễn, giảm lãi — khoản vay {no}": "Interest relief — loan {no}",
    "Loại lãi": "Interest kind",
    "Lãi trong hạn đến hạn chưa trả": "Installment interest due and unpaid",
    "Số tối đa được miễn, giảm": "Most that can be relieved",
    "{amount} (phải trả ngày {on}, tính đến hết ngày trước đó)": "{amount} (payable on {on}, accrued to the day before)",
    "Miễn, giảm toàn bộ": "Relieve all of it",
    "Điền số tối đa được miễn, giảm của loại lãi này": "Fill in the most that can be relieved of this kind",
    "Số tiền miễn, giảm (đồng)": "Amount relieved (VND)",
    "Sau khi miễn, giảm": "After the relief",
    "Miễn, giảm": "Relieved",
    "Lãi quá hạn còn phải trả": "Overdue interest still payable",
    "Lãi chậm trả còn phải trả": "Late-payment interest still payable",
    "Khoản vay được miễn, giảm lãi ít nhất nhóm 3 trong thời gian theo dõi (Thông tư 14/2024, Điều 5).":
        "A relieved loan is at least group 3 while the watch holds (Circular 14/2024, Art. 5).",
    "Xác nhận miễn, giảm lãi": "Confirm the relief",
    "Miễn, giảm {amount} {kind} cho khoản vay {no} ngày {on}?": "Relieve {amount} of {kind} on loan {no} on {on}?",
    # write-off and recovery
    "Xử lý rủi ro (xóa nợ) — khoản vay {no}": "Write-off — loan {no}",
    "Cuối ngày xử lý, toàn bộ nợ gốc và lãi được xóa khỏi bảng cân đối và theo dõi ngoại bảng; số tiền thu được sau "
    "đó là thu hồi nợ đã xử lý.":
        "At the end of the day all principal and interest leave the balance sheet and are kept off-balance; money "
        "received later is a recovery.",
    "Chuyển ra ngoại bảng": "Taken off-balance",
    "Nợ gốc": "Principal",
    "Nợ lãi (trong hạn, quá hạn, chậm trả)": "Interest (in-term, overdue, late-payment)",
    "Tổng số xóa nợ, theo dõi ngoại bảng": "Total written off, kept off-balance",
    "Nhóm nợ trước khi xử lý": "Debt group before the write-off",
    "Dự phòng cụ thể bù đắp ({rate} % dư nợ gốc)": "Specific provision used ({rate} % of principal)",
    "Phần gốc chưa được dự phòng bù đắp": "Principal not covered by the provision",
    "Xác nhận xử lý rủi ro": "Confirm the write-off",
    "Xóa nợ khoản vay {no} cuối ngày {on}, chuyển theo dõi ngoại bảng?":
        "Write off loan {no} at the end of {on} and keep it off-balance?",
    "Thu hồi nợ đã xử lý — khoản vay {no}": "Recovery — loan {no}",
    "Khoản vay đã xóa nợ ngày {on}: số tiền thu được hạch toán là <b>thu hồi nợ đã xử lý rủi ro</b> (gốc trước, lãi "
    "sau), không phải thu nợ. Còn theo dõi ngoại bảng: gốc {p}, lãi {i}.":
        "The loan was written off on {on}: money received is a <b>recovery of written-off debt</b> (principal first, "
        "then interest), not a repayment. Still off-balance: principal {p}, interest {i}.",
    "Khoản vay đã xóa nợ: số tiền thu được hạch toán là <b>thu hồi nợ đã xử lý rủi ro</b> (gốc trước, lãi sau), không "
    "phải thu nợ.":
        "The loan was written off: money received is a <b>recovery of written-off debt</b> (principal first, then "
        "interest), not a repayment.",
    "Số tiền thu hồi (đồng)": "Amount recovered (VND)",
    "Thu hồi gốc đã xử lý": "Principal recovered",
    "Thu hồi lãi đã xử lý": "Interest recovered",
    "Đây là khoản thu hồi nợ đã xử lý rủi ro, không tính vào thu nợ.":
        "This is a recovery of written-off debt, not counted as a collection.",
    "Xác nhận thu hồi nợ đã xử lý": "Confirm the recovery",
    "Ghi nhận thu hồi {amount} ngày {on} của khoản vay đã xóa nợ {no}?":
        "Record a recovery of {amount} on {on} on written-off loan {no}?",
    # the loan page and the list
    "Cơ cấu, miễn giảm, xóa &nợ": "Restructure, relieve, &write off",
    "Cơ cấu lại nợ…": "Restructure…",
    "Miễn, giảm lãi…": "Relieve interest…",
    "Xử lý rủi ro (xóa nợ)…": "Write off…",
    "Cơ cấu lại nợ": "Restructuring",
    "Miễn, giảm lãi": "Interest relief",
    "Xử lý rủi ro (xóa nợ)": "Write-off",
    "Số dư chuyển sang": "Opening balances",
    "Thu hồi nợ đã xử lý": "Recovery",
    "lãi chậm trả": "late-payment interest",
    "lãi quá hạn": "overdue interest",
    "lãi trong hạn": "installment interest",
    "Cơ cấu lại, miễn giảm lãi, xử lý rủi ro": "Restructurings, reliefs, write-off",
    "đã cơ cấu lại {n} lần": "restructured {n} time(s)",
    "đã miễn, giảm {items}": "relieved {items}",
    "cơ cấu lại lần {r}: Thông tư 14/2024, Điều 5": "restructuring {r}: Circular 14/2024, Art. 5",
    "miễn, giảm lãi: ít nhất nhóm 3": "interest relieved: at least group 3",
    "<b>Đang theo dõi</b> từ {since} ({holds}): nhóm {g}; theo số ngày quá hạn ({d}) là nhóm {gd}.":
        "<b>Under watch</b> since {since} ({holds}): group {g}; by days past due ({d}) group {gd}.",
    "Hết theo dõi sớm nhất cuối ngày {end}: đủ 90 ngày liên tục không quá hạn và kỳ {due} trả đủ đúng hạn.":
        "The watch ends at the end of {end} at the earliest: 90 consecutive days without arrears and the installment "
        "of {due} paid in full on time.",
    "Đã hết thời gian theo dõi: nhóm nợ theo số ngày quá hạn.": "The watch has ended: the group follows days past due.",
    "<b>Đã xử lý rủi ro (xóa nợ) ngày {on}</b>: gốc {p}, lãi {i}.": "<b>Written off on {on}</b>: principal {p}, interest {i}.",
    "Còn theo dõi ngoại bảng: gốc <b>{p}</b>, lãi <b>{i}</b>; đã thu hồi: gốc {rp}, lãi {ri}.":
        "Still off-balance: principal <b>{p}</b>, interest <b>{i}</b>; recovered: principal {rp}, interest {ri}.",
    "gia hạn {e} tháng, ân hạn {g} kỳ, lãi chuyển kỳ sau {d}, lần {n}":
        "extended {e} months, {g} grace periods, {d} interest deferred, number {n}",
    "miễn, giảm {kind}": "relieved {kind}",
    "ngoại bảng: gốc {p}, lãi {i}": "off-balance: principal {p}, interest {i}",
    "thu hồi gốc {p}, lãi {i}": "recovered principal {p}, interest {i}",
    "Quyết định của lần cơ cấu lại, miễn giảm lãi, xử lý rủi ro đang chọn":
        "Decision of the selected restructuring, relief or write-off",
    "Phụ lục hợp đồng của lần cơ cấu lại đang chọn": "Contract amendment of the selected restructuring",
    "Quyết định, phụ lục": "Decision, amendment",
    "Chọn một lần cơ cấu lại, miễn giảm lãi hoặc xử lý rủi ro trong lịch sử giao dịch.":
        "Select a restructuring, relief or write-off in the history.",
    "Đã cơ cấu lại": "Restructured",
    "Đã xóa nợ (ngoại bảng)": "Written off (off-balance)",
}
