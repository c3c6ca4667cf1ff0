from django.urls import path

from cordee.treasury.views import plans

urlpatterns: list = [
    path("tresorerie/plans/", plans.plans, name="plans"),
    path("tresorerie/plans/nouveau/", plans.plan_add, name="plan_add"),
    path("tresorerie/plans/importer/", plans.plan_import, name="plan_import"),
    path("tresorerie/plans/modele.xlsx", plans.plan_template, name="plan_template"),
    path("tresorerie/plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("tresorerie/plans/<int:pk>/lignes/", plans.plan_lines, name="plan_lines"),
    path("tresorerie/plans/<int:pk>/modifier/", plans.plan_edit, name="plan_edit"),
]
