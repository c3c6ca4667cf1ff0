from django.urls import path

from cordee.staffing.views import employees, timesheets

urlpatterns = [
    path("personnel/", employees.index, name="index"),
    path("personnel/nouveau/", employees.employee_new, name="employee_new"),
    path("personnel/validation/", timesheets.validation, name="validation"),
    path("personnel/<int:pk>/", employees.employee_detail, name="employee"),
    path("personnel/<int:pk>/modifier/", employees.employee_edit, name="employee_edit"),
    path("personnel/<int:pk>/repartition/", employees.plan_form, name="plan"),
    path("personnel/<int:pk>/frais/", employees.expenses, name="expenses"),
    path("personnel/<int:pk>/semaine/<str:monday>/", timesheets.week, name="week"),
]
