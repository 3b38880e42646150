from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "vanguard.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from vanguard.org.access import register_unit_field

        # A light belongs to the unit of its subject (a project's lead unit, the unit
        # itself), stored on the row, so a reporter sees the lights of their units only.
        register_unit_field("supervision.lightstate", "unit")
        register_unit_field("supervision.lightevent", "unit")
        register_unit_field("supervision.lightpolicy", "")
        register_unit_field("supervision.lightrecompute", "")
        # A bulletin ranks every unit and is published whole; who reads a draft is
        # org.access.visible_bulletins.
        register_unit_field("supervision.scoringrule", "")
        register_unit_field("supervision.bulletin", "")
        register_unit_field("supervision.bulletinline", "")

        from vanguard.supervision.bulletins.facts import register_lights_facts

        # The bulletin scores units on their lights at the month's end, among other facts.
        register_lights_facts()
        # Orders, proposals and exemptions belong to the unit they concern; the ladder's
        # rules are the campaign's.
        register_unit_field("supervision.supervisionorder", "unit")
        register_unit_field("supervision.orderstep", "order__unit")
        register_unit_field("supervision.orderevidence", "order__unit")
        register_unit_field("supervision.proposal", "unit")
        register_unit_field("supervision.exemption", "unit")
        register_unit_field("supervision.ladderrules", "")

        # A talk and a referral belong to the unit talked with; who reads referrals is
        # decided by org.access.talks (the inspector reads them without seeing units).
        register_unit_field("supervision.talk", "unit")
        register_unit_field("supervision.referral", "unit")

        from vanguard.supervision.orders import casefile as order_parts
        from vanguard.supervision.talks.parts import register_parts

        # The case file's own parts: the referral, the matter's lights, the orders and
        # their answers, the exemptions considered, the talk.
        register_parts()
        order_parts.register_parts()
        _register_talk_outcomes()

        _register_bulletin_facts()

        from vanguard.supervision.orders import queue as order_queue
        from vanguard.supervision.talks import queue as talk_queue

        # The work queue: orders to answer, answers to check, proposals and bulletins
        # (the office's workspace, read again), the cases referred to the commission.
        order_queue.register()
        talk_queue.register()

        from vanguard.org.views import register_unit_part
        from vanguard.supervision.views import owed_part

        # A unit's page lists what it owes, from what the domains register (owed.py).
        register_unit_part(owed_part)

        from vanguard.supervision.talks.views import unit_talks_part

        # ... and its latest talks, for those who read talks.
        register_unit_part(unit_talks_part)


def _register_talk_outcomes():
    """Confirming the ladder's proposal of a talk or a referral starts one here."""
    from vanguard.supervision.orders.proposals import register_outcome
    from vanguard.supervision.talks.actions import propose_talk_from_proposal, refer_from_proposal

    register_outcome("talk", propose_talk_from_proposal)
    register_outcome("referral", refer_from_proposal)


def _register_bulletin_facts():
    """The bulletin deducts for orders not answered, answers sent back, red orders, talks."""
    from vanguard.supervision.bulletins.facts import register_facts
    from vanguard.supervision.orders import facts as order_facts
    from vanguard.supervision.talks import facts as talk_facts

    register_facts(
        "orders", order_facts.order_facts, facts=order_facts.FACTS, link=order_facts.orders_link
    )
    register_facts(
        "talks", talk_facts.talk_facts, facts=talk_facts.FACTS, link=talk_facts.talks_link
    )
