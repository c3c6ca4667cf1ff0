from ninja import Router
from ninja.security import django_auth

router = Router(tags=["staffing"], auth=django_auth)
