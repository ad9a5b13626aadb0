from tenants.models import Partnership


def test_the_session_partnerships_exist(db):
    assert set(Partnership.objects.values_list("key", flat=True)) >= {"croydon", "lewisham"}
