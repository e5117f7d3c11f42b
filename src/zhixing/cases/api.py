from ninja import Router

router = Router(tags=["执行案件"])
