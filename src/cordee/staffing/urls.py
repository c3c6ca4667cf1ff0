from cordee.staffing import urls_billing, urls_time

app_name = "staffing"

urlpatterns = [*urls_time.urlpatterns, *urls_billing.urlpatterns]
