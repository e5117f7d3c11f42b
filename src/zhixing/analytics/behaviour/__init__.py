"""An independent generator of realistic debtor behaviour, and its measurement through the product.

Written from the rules' *intent* (docs/analytics.md, rules.md's ability-to-pay analysis, the seeds) and
from how real statements look (shared/data/statements), not from the detector's SQL: every behaviour
comes in the variants a real statement shows (a spouse as "支付宝-张三", "张*", pinyin or an account
number only; salaries weekly, fortnightly, monthly or irregular; tipping billed as a 充值 to the
platform's company), with noise (refunds, reversals, 不计收支 lines, typos, overlapping exports) and
honest debtors whose flows look suspicious (medical bills, the sale of their own car, family support).

- `world`: debtors, their events and the ground-truth label of every rule (pure, seeded);
- `writers`: statement files in the built-in layouts (alipay, wechat, cmb, boc) and travel CSVs;
- `stats`: precision, recall and Wilson 95 % intervals (pure);
- `measure`: imports the files through `services.create_import`/`run_import`, records relatives and
  linked parties so related-party discovery finds them, computes profiles with `compute_profile`, and
  scores every rule (ORM; run inside a rolled-back transaction by `manage.py analytics_quality`).
"""
