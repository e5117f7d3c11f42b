"""The disclosure section of the staff menu (执行公开); each feature registers its entries in install().

The party and public portals themselves are outside the staff menu (their own base templates)."""

from zhixing.core.navigation import Section, register_section


def install() -> None:
    register_section(Section("portal", "执行公开", 70, paths=("/disclosure/",)))
    # Public portal, tip-offs, rewards, petitions: menu entries, worklist, audit words (issue 17 items 4-6).
    from . import wiring_public

    wiring_public.install()
    install_party()


def install_party() -> None:
    """The party portal's receivers and audit words (called from install())."""
    from . import audit_words_party, party_services  # noqa: F401

    party_services.install()
