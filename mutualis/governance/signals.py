"""Every délibération of the operator (a `members.Decision` without member) has its entry in
the register, whichever app wrote it (tariff adoption, purchasing award, correction)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from mutualis.members.models import Decision


@receiver(post_save, sender=Decision, dispatch_uid="governance_register_entry")
def register_operator_decision(sender, instance: Decision, created: bool, raw=False, **kwargs):
    if raw or instance.member_id is not None:
        return
    from mutualis.governance.services import register_entry_ensure

    register_entry_ensure(decision=instance)
