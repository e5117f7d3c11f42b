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


def test_proceeds_sums_every_sources_amounts_per_asset_and_registration_is_idempotent(monkeypatch):
    from decimal import Decimal

    monkeypatch.setattr(disposal_guards, "_SOURCES", [])
    assert disposal_guards.proceeds(1) == {}

    def sales(case_id: int) -> dict[int, Decimal]:
        return {7: Decimal("700000.00"), 8: Decimal("1.00")} if case_id == 1 else {}

    def others(case_id: int) -> dict[int, Decimal]:
        return {7: Decimal("0.50")}

    disposal_guards.register_proceeds(sales)
    disposal_guards.register_proceeds(sales)
    disposal_guards.register_proceeds(others)
    assert disposal_guards.proceeds(1) == {7: Decimal("700000.50"), 8: Decimal("1.00")}
    assert disposal_guards.proceeds(2) == {7: Decimal("0.50")}
