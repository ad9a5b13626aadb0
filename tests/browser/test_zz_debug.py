import threading
from django.db import connection, connections
from django.conf import settings

def test_dbg(browser_world, django_db_blocker):
    print("MAIN", connection.settings_dict["NAME"], settings.DATABASES["default"]["NAME"])
    out = {}
    def run():
        out["n"] = connections["default"].settings_dict["NAME"]
    t = threading.Thread(target=run); t.start(); t.join()
    print("THREAD", out)
    with django_db_blocker.unblock():
        from tenants.models import Partnership
        print(list(Partnership.objects.values_list("key", flat=True)))
