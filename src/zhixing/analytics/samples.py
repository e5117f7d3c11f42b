"""A sample statement for trying the checked import without a file at hand ("用示例文件试一试").

An export no layout matches exactly: a CMB-like statement, GBK, a two-line preamble, and the
counterparty column called "对方户名" (the built-in CMB layout reads "对手信息"). The preview proposes
the CMB layout (adjusting encoding and header row) and names the missing column; the user sets
"交易对方列" to "对方户名", re-previews and imports (the tests and the browser test use it too).
"""

from __future__ import annotations

LINES = [
    "招商银行个人账户交易明细",
    "账号：6214****1234,起止日期：2024-01-01 至 2024-03-31",
    "记账日期,货币,交易金额,联机余额,交易摘要,对方户名,客户摘要",
    '2024-01-05,CNY,"8,000.00","9,000.00",代发工资,深圳某某科技有限公司,工资',
    "2024-01-08,CNY,-120.50,8879.50,快捷支付,美团,外卖",
    '2024-01-20,CNY,"-3,000.00",5879.50,转账汇款,王五,房租',
    '2024-02-05,CNY,"8,000.00","13,879.50",代发工资,深圳某某科技有限公司,工资',
    "2024-02-14,CNY,-520.00,13359.50,快捷支付,某花店,鲜花",
    '2024-03-05,CNY,"8,000.00","21,359.50",代发工资,深圳某某科技有限公司,工资',
    "2024-03-09,CNY,-88.00,21271.50,快捷支付,滴滴出行,打车",
]
TEXT = "\n".join(LINES) + "\n"
DATA = TEXT.encode("gbk")
FILE_NAME = "招商银行流水（示例，对方户名列）.csv"
