"""Each referral's step (``casework.steps``) from what was already recorded: before the steps
were enforced, a referral notified to the Panel could still read "screened", one whose rapid
review went to the Panel "rapid_review", and one screened as not notifiable "screened". Only the
step is set; nothing recorded changes. Reversing leaves the steps as they are (the old statuses
are a subset of the new)."""

from django.db import migrations


def step_from_records(referral, screening, rapid_review, decision) -> str:
    if decision is not None:
        told = [decision.panel_told_on, decision.ofsted_told_on]
        if referral.regime != "scr2015":
            told.append(decision.department_told_on)
        return "decision_notified" if referral.panel_notified_on and all(told) else "decided"
    if rapid_review is not None:
        if rapid_review.panel_responded_on:
            return "panel_responded"
        return "sent_to_panel" if rapid_review.sent_to_panel_on else "rapid_review"
    if referral.panel_notified_on:
        return "notified"
    if screening is not None:
        return "screened" if screening.view_met else "not_notifiable"
    return "received"


def derive_steps(apps, schema_editor):
    Referral = apps.get_model("casework", "Referral")
    referrals = Referral.objects.select_related("screening", "rapid_review", "decision")
    for referral in referrals:
        step = step_from_records(
            referral,
            getattr(referral, "screening", None),
            getattr(referral, "rapid_review", None),
            getattr(referral, "decision", None),
        )
        if step != referral.status:
            Referral.objects.filter(pk=referral.pk).update(status=step)


class Migration(migrations.Migration):
    dependencies = [("casework", "0006_list_regimes_disagreeing")]

    operations = [migrations.RunPython(derive_steps, migrations.RunPython.noop)]
