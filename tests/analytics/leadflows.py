"""A statement that yields one lead of each route for the test debtor 360426199101010071.

The partner sandbox derives holdings from the ID number (`zhixing.partners.sandbox.holdings`): this
debtor's vehicle register holds 粤C08775 (大众帕萨特) and 粤C03885; 粤A99999 is nobody's car of hers.
So the statement's ETC tolls for 粤C08775 make a vehicle lead the register finds, the parking fees of
粤A99999 one it does not; a monthly salary from 广州某科技有限公司 an employer lead (social insurance
answers with an employer); monthly rent to a landlord a rent lead no register covers (field).
"""

from __future__ import annotations

from datetime import date

from zhixing.partners.sandbox.holdings import holdings

DEBTOR_ID = "360426199101010071"
PLATE = "粤C08775"
STRANGER_PLATE = "粤A99999"
HEADER = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要"


def statement(months: int = 5, plate: str = PLATE, stranger: str = STRANGER_PLATE) -> bytes:
    assert plate in [h.ref for h in holdings("MPS-VEHICLE", DEBTOR_ID)] or plate != PLATE
    rows = [HEADER]
    balance = 50000
    for m in range(months):
        month = 6 + m
        lines = [
            (date(2025, month, 5), 15000, "代发工资", "广州某科技有限公司6222000011110000", "工资"),
            (date(2025, month, 8), -3500, "转账汇款", "房东李某 6222000099998888", "房租"),
            (date(2025, month, 12), -85, f"ETC通行费 {plate}", "广东联合电子收费股份有限公司", "高速通行费"),
            (date(2025, month, 20), -40, f"停车费 {stranger}", "某停车场管理有限公司", "停车"),
        ]
        for d, amount, summary, cp, note in lines:
            balance += amount
            rows.append(f"{d.isoformat()},CNY,{amount:.2f},{balance:.2f},{summary},{cp},{note}")
    return ("\n".join(rows) + "\n").encode()
