from django.db import migrations


class Migration(migrations.Migration):
    """Numbers for references (CRO-2026-0042). A sequence, not a counter row: concurrent
    referrals never wait on each other, and a number is never handed out twice (a rolled-back
    referral leaves a gap, which is fine)."""

    dependencies = [("casework", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE casework_referral_number START 1",
            "DROP SEQUENCE casework_referral_number",
        ),
        migrations.RunSQL(
            "CREATE SEQUENCE casework_review_number START 1",
            "DROP SEQUENCE casework_review_number",
        ),
    ]
