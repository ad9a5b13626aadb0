"""Lists, and changes nothing, the referrals whose recorded rules disagree with the date the
partnership became aware: before the rules were chosen by date, a 2016 referral could carry the
2023 rules. Existing records keep their regime; ``manage.py regime_check`` lists them again."""

import sys

from django.db import connection, migrations

from casework.regimes import regime_disagreement


def list_disagreeing(apps, schema_editor):
    Referral = apps.get_model("casework", "Referral")
    for reference, regime, aware_date in Referral.objects.values_list(
        "reference", "regime", "aware_date"
    ).order_by("reference"):
        why = regime_disagreement(regime, aware_date)
        if why:
            sys.stdout.write(f"  {connection.schema_name}: referral {reference} {why}\n")


class Migration(migrations.Migration):
    dependencies = [("casework", "0005_referral_process")]

    operations = [migrations.RunPython(list_disagreeing, migrations.RunPython.noop)]
