"""Write the shipped document templates (src/zhixing/documents/defaults/<kind>.docx) from the texts below.

Run once after changing a text: `python scripts/build_document_templates.py [kind ...]` (no kind: all).
The .docx files are what an administrator downloads, edits in Word and uploads as a new version
(文书模板 page); this script only makes version 1. Placeholders are Jinja (docxtpl): `{{ field }}`; every field is filled by the kind's builder.
Layout after GB/T 9704 (党政机关公文格式): 宋体 body, 小标宋 titles, first-line indent of two characters.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "src" / "zhixing" / "documents" / "defaults"

HEAD = [("court", "{{ court }}"), ("title", "{title}"), ("number", "{{ document_number }}")]
SEAL = [("right", "{{ court }}（院印）"), ("right", "{{ date }}")]
RECONSIDER = (
    "如不服本决定，可以在收到决定书之日起三日内，口头或者书面向上一级人民法院申请复议一次。复议期间，"
    "不停止决定的执行（《中华人民共和国民事诉讼法》第一百一十九条）。"
)

TEXTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "enforcement_notice": (
        "执 行 通 知 书",
        [
            ("p", "被执行人：{{ debtors }}"),
            (
                "p",
                "{{ applicants }}与{{ debtors }}一案，{{ basis_issuer }}作出的{{ basis_number }}法律文书已经发生"
                "法律效力。申请执行人向本院申请强制执行，本院依法立案执行，案号为{{ case_number }}。依照《中华人民"
                "共和国民事诉讼法》第二百五十一条之规定，责令被执行人{{ performance }}下列义务：{{ obligation }}。",
            ),
            (
                "p",
                "履行款项请汇入本案案款账户（一案一账号，汇入即视为向本案付款）：开户银行{{ account_bank }}，"
                "户名{{ account_name }}，账号{{ account_number }}。",
            ),
            ("p", "{{ delay_warning }}"),
            ("p", "{{ listing_warning }}"),
            ("p", "{{ asset_report }}"),
            ("p", "本案承办人：{{ handler }}。"),
            *SEAL,
            ("p", "送达：{{ served }}"),
        ],
    ),
    "asset_report_order": (
        "报 告 财 产 令",
        [
            ("p", "被执行人：{{ debtors }}"),
            (
                "p",
                "本院在执行{{ applicants }}与{{ debtors }}一案（{{ case_number }}）中，依照《中华人民共和国民事诉讼法》"
                "第二百五十二条和《最高人民法院关于民事执行中财产调查若干问题的规定》第三条、第四条、第五条之规定，"
                "责令你（单位）自收到本令之日起{{ report_days }}日内，如实向本院书面报告当前以及收到执行通知之日前一年"
                "的财产情况：",
            ),
            ("p", "{{ items }}"),
            (
                "p",
                "报告财产后，财产状况发生变动，影响申请执行人债权实现的，应当自财产变动之日起十日内向本院补充报告。",
            ),
            ("p", "{{ warning }}"),
            *SEAL,
        ],
    ),
    "assistance_notice": (
        "协 助 执 行 通 知 书",
        [
            ("p", "{{ partner }}："),
            (
                "p",
                "本院执行的{{ case_number }}一案，执行依据为{{ basis }}。依照《中华人民共和国民事诉讼法》"
                "{{ article }}之规定，请协助{{ action }}：",
            ),
            ("p", "被执行人：{{ debtor }}，{{ id_label }}：{{ debtor_id }}。"),
            ("p", "财产：{{ asset }}；金额：{{ amount }}。"),
            ("p", "控制期限：{{ control_period }}"),
            ("p", "请协助事项：{{ partner_needs }}"),
            ("p", "本院联系人：{{ handler }}。"),
            *SEAL,
        ],
    ),
    "freeze_ruling": (
        "执 行 裁 定 书",
        [
            ("p", "申请执行人：{{ applicants }}"),
            ("p", "被执行人：{{ debtor }}，{{ id_label }}：{{ debtor_id }}。"),
            (
                "p",
                "本院依据{{ basis }}，于{{ filed_on }}立案执行{{ case_number }}一案。因被执行人未按执行通知履行"
                "法律文书确定的义务，依照《中华人民共和国民事诉讼法》第二百五十三条、《最高人民法院关于人民法院"
                "民事执行中查封、扣押、冻结财产的规定》第一条之规定，裁定如下：",
            ),
            ("p", "冻结被执行人{{ debtor }}在{{ partner }}的{{ asset }}，冻结金额以人民币{{ amount }}为限。"),
            ("p", "冻结期限：{{ control_period }}"),
            ("p", "本裁定立即执行。"),
            *SEAL,
        ],
    ),
    "seizure_ruling": (
        "执 行 裁 定 书",
        [
            ("p", "申请执行人：{{ applicants }}"),
            ("p", "被执行人：{{ debtor }}，{{ id_label }}：{{ debtor_id }}。"),
            (
                "p",
                "本院依据{{ basis }}，于{{ filed_on }}立案执行{{ case_number }}一案。因被执行人未按执行通知履行"
                "法律文书确定的义务，依照《中华人民共和国民事诉讼法》第二百五十五条、《最高人民法院关于人民法院"
                "民事执行中查封、扣押、冻结财产的规定》第一条、第二条之规定，裁定如下：",
            ),
            ("p", "查封被执行人{{ debtor }}名下的{{ asset }}（登记机构：{{ partner }}）。"),
            ("p", "查封期限：{{ control_period }}"),
            ("p", "本裁定立即执行。"),
            *SEAL,
        ],
    ),
    "consumption_order": (
        "限 制 消 费 令",
        [
            ("p", "被执行人：{{ debtor }}；限制对象：{{ persons }}"),
            (
                "p",
                "本院在执行{{ case_number }}案件中，{{ basis_issuer }}作出的{{ basis_number }}法律文书已经发生法律"
                "效力。被执行人未按执行通知书指定的期间履行生效法律文书确定的给付义务。依照《最高人民法院关于限制"
                "被执行人高消费及有关消费的若干规定》第一条、第三条、第五条之规定，对上列限制对象采取限制消费措施，"
                "限制其不得实施以下高消费及非生活和工作必需的消费行为：",
            ),
            ("p", "{{ items }}"),
            ("p", "限制期间：{{ effect }}，{{ period }}。"),
            (
                "p",
                "如被限制人违反本令，经查证属实的，依照《中华人民共和国民事诉讼法》第一百一十四条的规定予以罚款、"
                "拘留；情节严重，构成犯罪的，依法追究刑事责任。因私消费以个人财产实施前述行为的，可以向本院提出申请。",
            ),
            ("p", "签发人：{{ signer }}"),
            *SEAL,
            ("p", "送达：{{ served }}"),
        ],
    ),
    "listing_decision": (
        "决 定 书",
        [
            ("p", "被执行人：{{ debtor }}（{{ debtor_kind }}）；法定代表人或者负责人：{{ representative }}"),
            (
                "p",
                "本院在执行{{ case_number }}案件中（{{ initiation }}），{{ basis_issuer }}作出的{{ basis_number }}"
                "法律文书确定的义务为：{{ obligation }}。经查，被执行人有下列情形：{{ dishonest_act }}。符合"
                "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条{{ ground }}之规定。依照该规定第一条、"
                "第二条、第六条之规定，决定如下：",
            ),
            ("p", "将被执行人{{ debtor }}纳入失信被执行人名单。纳入期限：{{ term }}；{{ grace }}。"),
            (
                "p",
                "被执行人认为本决定有错误的，可以向本院申请纠正（该规定第十二条）。被执行人履行完毕生效法律文书确定"
                "的义务的，本院将在三个工作日内删除失信信息。",
            ),
            ("p", "签发人：{{ signer }}"),
            *SEAL,
            ("p", "送达：{{ served }}"),
        ],
    ),
    # The exit-restriction decision (执行程序解释 Arts 23–24), moved onto the documents capability.
    "exit_decision": (
        "限 制 出 境 决 定 书",
        [
            ("p", "被执行人：{{ debtor }}；被限制出境人：{{ persons }}"),
            (
                "p",
                "本院在执行{{ case_number }}案件中，{{ basis_issuer }}作出的{{ basis_number }}法律文书已经发生法律"
                "效力，被执行人未履行生效法律文书确定的义务。依照《中华人民共和国民事诉讼法》第二百六十六条、"
                "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释》第二十三条、第二十四条"
                "及《中华人民共和国出境入境管理法》第十二条第三项之规定，决定如下：",
            ),
            ("p", "限制上列人员出境，并通知出入境边防检查机关执行。"),
            ("p", "{{ reconsideration }}"),
            *SEAL,
            ("p", "送达：{{ served }}"),
        ],
    ),
    # The credit-repair certificate (信用修复证明, 失信规定 Art 10 / the court's repair policy).
    "repair_certificate": (
        "信 用 修 复 证 明",
        [
            ("p", "被执行人：{{ debtor }}（{{ debtor_kind }}）"),
            (
                "p",
                "被执行人{{ debtor }}因{{ case_number }}一案，经本院于{{ listed_on }}决定（{{ listing_number }}），"
                "以《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条{{ ground }}为由纳入失信被执行人名单。"
                "履行情况：{{ performance }}。",
            ),
            ("p", "被执行人于{{ applied_on }}向本院申请信用修复。经审查，符合下列信用修复条件："),
            ("p", "{{ conditions }}"),
            ("p", "本院于{{ decided_on }}决定准予信用修复。{{ removed }}。"),
            ("p", "特此证明。"),
            *SEAL,
        ],
    ),
    # The ability-to-pay report on a debtor's profile (analytics), moved onto the documents capability.
    # A table is ("table", "<list> <row var> <header>:<cell> ..."): one row per item of the list. The
    # profile page's charts are tables here (no chart library on the platform; the PDF draws tables).
    "ability_report": (
        "被执行人履行能力分析报告",
        [
            ("p", "案号：{{ case_number }}；被执行人：{{ debtor }}"),
            ("p", "分析期间：{{ period }}；规则版本：{{ ruleset }}；履行能力评分：{{ score }}"),
            (
                "p",
                "收入合计：{{ total_in }}元；支出合计：{{ total_out }}元；退款：{{ refunds }}元；"
                "境外币种交易：{{ foreign_lines }}笔。",
            ),
            ("section", "一、月度收支"),
            ("table", "monthly m 月份:month 收入（元）:amount_in 支出（元）:amount_out"),
            ("section", "二、消费类别"),
            ("table", "categories c 类别:label 净支出（元）:net 笔数:n"),
            ("section", "三、主要交易对手"),
            ("table", "counterparties cp 交易对方:name 关系:kind 金额（元）:total"),
            ("section", "四、时间轴"),
            ("table", "timeline t 日期:day 事件:event"),
            ("section", "五、命中规则及证据"),
            ("table", "findings f 规则:label 权重:weight 说明:detail"),
            ("table", "evidence e 规则:rule 时间:time 金额:amount 交易对方:counterparty 摘要:summary"),
            ("p", "{{ evidence_note }}"),
            ("section", "六、处置建议及法律依据"),
            ("table", "recommendations r 建议:title 法律依据:basis"),
            ("section", "七、财产线索"),
            ("table", "leads ld 线索:counterparty 类型:kind 月数:months 累计金额（元）:total 状态:state"),
            (
                "p",
                "本报告由智执履行能力分析模块依据导入的流水自动生成，供承办法官参考，不替代法官判断。画像页面的"
                "图表在本报告中以表格列示。",
            ),
            *SEAL,
        ],
    ),
    "fine_decision": (
        "罚 款 决 定 书",
        [
            ("p", "被罚款人：{{ person }}，{{ id_label }}：{{ person_id }}。"),
            (
                "p",
                "本院在执行{{ case_number }}一案中，查明：{{ act }}。上述行为妨害民事诉讼（执行），依照《中华人民"
                "共和国民事诉讼法》第一百一十四条、第一百一十八条、第一百一十九条之规定，经本院院长批准，决定如下：",
            ),
            ("p", "对{{ person }}罚款人民币{{ amount }}元，于本决定书送达之日起十日内交纳。"),
            ("p", RECONSIDER),
            *SEAL,
        ],
    ),
    "detention_decision": (
        "拘 留 决 定 书",
        [
            ("p", "被拘留人：{{ person }}，{{ id_label }}：{{ person_id }}，住所地：{{ address }}。"),
            (
                "p",
                "本院在执行{{ case_number }}一案中，查明：{{ act }}。上述行为妨害民事诉讼（执行），依照《中华人民"
                "共和国民事诉讼法》第一百一十四条、第一百一十八条、第一百一十九条之规定，经本院院长批准，决定如下：",
            ),
            ("p", "对{{ person }}拘留{{ days }}日，由本院司法警察送交{{ custody }}看管。"),
            ("p", "拘留期间，被拘留人承认并改正错误、履行义务的，本院可以决定提前解除拘留。"),
            ("p", RECONSIDER),
            *SEAL,
        ],
    ),
    # issue 20 item 3: the president's order of a summons by force and of a search (rules.md §8).
    "summons_warrant": (
        "拘 传 票",
        [
            ("p", "被拘传人：{{ person }}，{{ identity }}。"),
            (
                "p",
                "本院在执行{{ case_number }}一案中，查明：{{ act }}。被拘传人经依法传唤，无正当理由拒不到场。依照"
                "《中华人民共和国民事诉讼法》第一百一十九条、《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的"
                "解释》第四百八十二条之规定，经本院院长批准，对被拘传人予以拘传，到本院接受调查询问。",
            ),
            ("p", "对被拘传人调查询问的时间不得超过{{ hours }}小时。"),
            *SEAL,
        ],
    ),
    "search_warrant": (
        "搜 查 令",
        [
            ("p", "被搜查人：{{ person }}。"),
            (
                "p",
                "本院在执行{{ case_number }}一案中，查明：{{ act }}。被执行人不履行生效法律文书确定的义务，隐匿财产，"
                "经责令拒不交出。依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百九十四条之规定，"
                "经本院院长签发本搜查令，由本院执行人员对下列处所进行搜查：{{ place }}。",
            ),
            (
                "p",
                "搜查时，执行人员应当出示本搜查令和工作证件；搜查对象是公民的，应当通知被执行人或者他的成年家属以及"
                "基层组织派员到场；搜查对象是法人或者非法人组织的，应当通知法定代表人或者主要负责人到场。搜查应当制作"
                "搜查笔录，由搜查人员、被搜查人及其他在场人签名、捺印或者盖章。",
            ),
            *SEAL,
        ],
    ),
    "sale_confirmation": (
        "执 行 裁 定 书",
        [
            ("p", "申请执行人：{{ applicants }}"),
            ("p", "被执行人：{{ debtor }}"),
            ("p", "买受人：{{ buyer }}"),
            (
                "p",
                "本院在执行{{ case_number }}一案中，于{{ sale_date }}在{{ platform }}依法公开拍卖被执行人{{ debtor }}"
                "所有的{{ asset }}，买受人{{ buyer }}以最高应价人民币{{ price }}元竞得，并已全额支付价款。依照"
                "《最高人民法院关于人民法院民事执行中拍卖、变卖财产的规定》第二十条、《最高人民法院关于人民法院网络"
                "司法拍卖若干问题的规定》第二十二条之规定，裁定如下：",
            ),
            ("p", "一、{{ asset }}的所有权自本裁定送达买受人{{ buyer }}时起转移。"),
            ("p", "二、买受人{{ buyer }}可持本裁定书到{{ partner }}办理相关产权过户登记手续。"),
            ("p", "三、解除对上述财产的查封。"),
            ("p", "本裁定送达后即发生法律效力。"),
            *SEAL,
        ],
    ),
    "distribution_plan": (
        "财 产 分 配 方 案",
        [
            (
                "p",
                "本院在执行{{ case_number }}案件中，处置被执行人{{ debtor }}财产所得款项共计人民币{{ proceeds }}元。"
                "依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百零八条、第五百一十条等规定，"
                "扣除执行费用人民币{{ costs }}元后，按照优先受偿债权、普通债权的顺序分配如下：",
            ),
            ("p", "{{ lines }}"),
            (
                "p",
                "债权人或者被执行人对本分配方案有异议的，应当自收到本方案之日起十五日内向本院书面提出"
                "（《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百一十条）。",
            ),
            *SEAL,
        ],
    ),
    "dormant_ruling": (
        "执 行 裁 定 书",
        [
            ("p", "申请执行人：{{ applicants }}"),
            ("p", "被执行人：{{ debtors }}"),
            (
                "p",
                "本院在执行{{ case_number }}一案中（执行依据：{{ basis }}），执行标的为人民币{{ claim }}元，已执行到位"
                "人民币{{ paid }}元，尚未执行到位人民币{{ unpaid }}元。本院已向被执行人发出执行通知书和报告财产令，"
                "通过网络执行查控系统调查被执行人的财产，{{ findings }}。",
            ),
            (
                "p",
                "本院认为，被执行人暂无可供执行的财产，本次执行程序无法继续进行。依照《最高人民法院关于适用〈中华人民"
                "共和国民事诉讼法〉的解释》第五百一十七条、《最高人民法院关于严格规范终结本次执行程序的规定（试行）》"
                "第一条之规定，裁定如下：",
            ),
            ("p", "终结本次执行程序。"),
            (
                "p",
                "终结本次执行程序后，被执行人仍负有继续履行生效法律文书确定义务的责任，限制消费措施继续有效。申请执行人"
                "发现被执行人有可供执行财产的，可以向本院申请恢复执行，不受申请执行时效期间的限制。",
            ),
            ("p", "本裁定送达后即发生法律效力。"),
            *SEAL,
        ],
    ),
    "closing_notice": (
        "结 案 通 知 书",
        [
            ("p", "{{ applicants }}、{{ debtors }}："),
            (
                "p",
                "本院立案执行的{{ case_number }}一案（执行依据：{{ basis }}），已于{{ closed_on }}以“{{ mode }}”方式结案。"
                "本案执行标的人民币{{ claim }}元，已执行到位人民币{{ paid }}元。",
            ),
            ("p", "{{ consequence }}"),
            ("p", "特此通知。"),
            *SEAL,
        ],
    ),
    # issue 20: the result of a dormant case's periodic re-inquiry told to the applicants (终本规定 Art 9(2)).
    "reinquiry_notice": (
        "财 产 查 询 结 果 告 知 书",
        [
            ("p", "{{ applicants }}："),
            (
                "p",
                "本院执行的{{ case_number }}一案（执行依据：{{ basis }}），已于{{ closed_on }}终结本次执行程序。依照"
                "《最高人民法院关于严格规范终结本次执行程序的规定（试行）》第九条第二款之规定，本院于{{ run_on }}"
                "通过网络执行查控系统对被执行人{{ debtors }}的财产进行了定期查询，现将查询结果告知如下：",
            ),
            ("p", "{{ result }}"),
            (
                "p",
                "终结本次执行程序后五年内，本院每六个月通过网络执行查控系统查询一次被执行人的财产。您发现被执行人有"
                "可供执行财产的，可以随时向本院申请恢复执行（可通过本院当事人门户在线提交），不受申请执行时效期间的"
                "限制。",
            ),
            ("p", "特此告知。"),
            *SEAL,
        ],
    ),
    # issue 19: the collegial panel's ruling on a third-party objection (CPL-2023 Art 238).
    "objection_ruling": (
        "执 行 裁 定 书",
        [
            ("p", "案外人（异议人）：{{ objector }}"),
            (
                "p",
                "本院在执行{{ case_number }}一案中，案外人{{ objector }}于{{ received_on }}对本院查封、扣押、冻结的"
                "{{ asset }}提出书面异议，主张：{{ claim }}。本院依法组成合议庭（{{ panel }}）进行了审查。",
            ),
            ("p", "本院认为：{{ reason }}"),
            ("p", "依照《中华人民共和国民事诉讼法》第二百三十八条之规定，裁定如下："),
            ("p", "{{ result }}"),
            ("p", "{{ suit }}"),
            *SEAL,
        ],
    ),
}


def _fonts(doc: Document) -> None:
    for name, east in (("Normal", "宋体"), ("Title", "方正小标宋简体"), ("Heading 1", "方正小标宋简体")):
        style = doc.styles[name]
        style.font.name = "Times New Roman"
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east)
    doc.styles["Normal"].font.size = Pt(15)


def _table(doc: Document, spec: str) -> None:
    """A grid whose middle row repeats per item (docxtpl's `{%tr for %}` … `{%tr endfor %}` rows)."""
    name, var, *cols = spec.split()
    heads = [c.split(":") for c in cols]
    table = doc.add_table(rows=4, cols=len(heads))
    table.style = "Table Grid"
    for cell, (head, _) in zip(table.rows[0].cells, heads, strict=True):
        cell.text = head
    table.rows[1].cells[0].text = f"{{%tr for {var} in {name} %}}"
    for cell, (_, key) in zip(table.rows[2].cells, heads, strict=True):
        cell.text = f"{{{{ {var}.{key} }}}}"
    table.rows[3].cells[0].text = "{%tr endfor %}"


def build(kind: str, title: str, body: list[tuple[str, str]]) -> Document:
    doc = Document()
    _fonts(doc)
    doc.core_properties.author = "智执"
    doc.core_properties.title = title.replace(" ", "")
    doc.core_properties.comments = "文书模板（随系统发布的第1版）"
    for style, text in [(s, t.replace("{title}", title)) for s, t in HEAD] + body:
        if style == "table":
            _table(doc, text)
        elif style == "section":
            doc.add_paragraph().add_run(text).bold = True
        elif style == "court":
            doc.add_heading(text, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style == "title":
            doc.add_heading(text, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p = doc.add_paragraph(text)
            if style == "number" or style == "right":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                p.paragraph_format.first_line_indent = Pt(30)
    return doc


def main(only: list[str]) -> None:
    """Write every template, or only the kinds named (the others' files stay byte for byte the same)."""
    OUT.mkdir(parents=True, exist_ok=True)
    unknown = set(only) - set(TEXTS)
    if unknown:
        raise SystemExit(f"unknown kinds: {sorted(unknown)}")
    for kind, (title, body) in TEXTS.items():
        if only and kind not in only:
            continue
        build(kind, title, body).save(str(OUT / f"{kind}.docx"))
        print(OUT / f"{kind}.docx")


if __name__ == "__main__":
    main(sys.argv[1:])
