from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Domain, Partnership
from tenants.selectors import host_cache_clear


@receiver([post_save, post_delete], sender=Domain)
@receiver([post_save, post_delete], sender=Partnership)
def forget_hosts(**kwargs):
    host_cache_clear()
