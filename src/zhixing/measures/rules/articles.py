"""The articles the table rests on, quoted once, and the rules.md sections they are read in."""

from __future__ import annotations

from .vocabulary import Decider

A, J = Decider.AUTO, Decider.JUDGE
KEEP_NOTHING_SAYS = "无法律规定因该事件变更此措施"

# -- the articles, quoted once --------------------------------------------------------------------------
OVER_SEIZURE = "查封规定第19条：超标的部分应依申请或依职权解除；民诉法(2023)第253条"
PAID_RELEASE = "查封规定第28条第1款第4项（债务已经清偿，应当解除）——原文未核实，可配置"
ENDED_RELEASE = "查封规定第28条（执行依据撤销、撤回申请等，应当解除）——原文未核实，可配置"
CONSUMPTION_PAID = "限制消费规定第9条：被执行人履行完毕的，应当及时解除限制消费令"
EXIT_PAID = "执行程序解释第25条：履行完毕的，应当及时解除限制出境"
LISTING_PAID = "失信规定第10条第1款第1项：已履行全部义务的，3个工作日内删除"
EXPOSURE_FOLLOWS = "执行程序解释第26条、失信规定第7条：曝光公布的是失信信息，失信信息删除即停止公布"
CASE_ENDED = "执行工作规定第64条：案件已结案，未发出的控制请求不再发送"
ENDED_RESTRICTION = "案件以该方式结案后限制措施的去留无司法解释明文，可配置（默认解除）"
DORMANT_KEEPS = "终本后已控制财产与限制措施继续有效（终本规定，原文未核实，可配置）"
DORMANT_LISTING = "失信规定第10条第1款第4项：终本后两次网络查询无财产方删除（由定期扫描处理）"
SUSPENSION_KEEPS = "民诉法(2023)第267条：中止执行只停止执行程序，已采取的措施不因此解除"
SUSPENSION_PENDING = "中止期间不应再采取新的执行行为，未发出的控制请求提请撤回（可配置）"
SUSPENSION_LISTING = "失信规定第10条第1款第5项：因审判监督或破产程序中止执行的，删除失信信息"
BANKRUPTCY_RELEASE = "企业破产法第19条：受理破产申请后，有关债务人财产的保全措施应当解除（可配置）"
RESUMED_KEEPS = (
    "执行工作规定第60条：恢复执行后原有措施继续；已删除的失信信息须重新决定方能纳入（失信规定第10条第3款）"
)
LISTING_CONSUMPTION = (
    "限制消费规定第1条第2款：失信被执行人应当限制消费；失信删除后是否解除由法官决定（可配置）"
)
EXIT_NOT_TIED = "执行程序解释第25条：限制出境不随失信名单删除而解除"
PAYMENT_KEEPS = "部分履行不构成解除事由（限制消费规定第9条、执行程序解释第25条、失信规定第10条）"

S62, S64, S33, S34, S35, S5, S23, S24 = (
    "rules.md §6.2",
    "rules.md §6.4",
    "rules.md §3.3",
    "rules.md §3.4",
    "rules.md §3.5",
    "rules.md §5",
    "rules.md §2.3",
    "rules.md §2.4",
)
NONE = "—"
