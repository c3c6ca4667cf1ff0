from cordee.practices import urls_community, urls_sheets

app_name = "practices"

urlpatterns = [*urls_sheets.urlpatterns, *urls_community.urlpatterns]
