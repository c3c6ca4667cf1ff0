from ninja import Router
from ninja.security import django_auth

router = Router(tags=["skills"], auth=django_auth)
