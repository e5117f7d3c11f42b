"""The disposal-guard registry: every guard is asked, registration is idempotent."""

from zhixing.core import disposal_guards


def test_refusals_collects_every_guards_reasons_and_registration_is_idempotent(monkeypatch):
    monkeypatch.setattr(disposal_guards, "_GUARDS", [])
    assert disposal_guards.refusals(7) == []

    def blocked_seven(asset_id: int) -> list[str]:
        return ["案外人异议审查中"] if asset_id == 7 else []

    def always(asset_id: int) -> list[str]:
        return [f"资产{asset_id}已被另案处分"]

    disposal_guards.register(blocked_seven)
    disposal_guards.register(blocked_seven)
    disposal_guards.register(always)
    assert disposal_guards.refusals(7) == ["案外人异议审查中", "资产7已被另案处分"]
    assert disposal_guards.refusals(8) == ["资产8已被另案处分"]
